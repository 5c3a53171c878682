using System.ComponentModel;
using EnergyTrade.Cli.Input;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Shipments;

public sealed class CancelSettings : GlobalSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The shipment's resource name, shipments/{id} (the bare id works too)")]
    public string Name { get; set; } = "";

    [CommandOption("--reason <TEXT>")]
    [Description("Why, e.g. \"cargo did not load\"; kept with the shipment. At most 512 characters")]
    public string? Reason { get; set; }

    [CommandOption("--version <N>")]
    [Description("Cancel only if the shipment is still at this version (as `shipments get` showed it); else nothing changes and the command fails")]
    public long? Version { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) problems.Add("NAME is empty; give shipments/{id}.");
        if (Version is { } version && version < 1) problems.Add($"--version {version} is not a version; versions start at 1.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }

    public string ResourceName => ShipmentNameInput.ToResourceName(Name);
}
