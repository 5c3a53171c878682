using System.ComponentModel;
using EnergyTrade.Cli.Input;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Shipments;

public sealed class GetSettings : GlobalSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The shipment's resource name, shipments/{id} (the bare id works too)")]
    public string Name { get; set; } = "";

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        return string.IsNullOrWhiteSpace(Name) ? ValidationResult.Error("NAME is empty; give shipments/{id}.") : ValidationResult.Success();
    }

    /// <summary>Ids are what people copy from a table; the API wants the full resource name.</summary>
    public string ResourceName => ShipmentNameInput.ToResourceName(Name);
}
