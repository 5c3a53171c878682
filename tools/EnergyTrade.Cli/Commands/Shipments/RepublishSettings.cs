using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Shipments;

public sealed class RepublishSettings : ShipmentFilterSettings
{
    [CommandOption("--no-wait")]
    [Description("Start the republish and print its operation name, without following its progress")]
    public bool NoWait { get; set; }

    [CommandOption("--cancel <OPERATION>")]
    [Description("Stop a running republish (operations/{id}, as printed when it started)")]
    public string? Cancel { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        CheckFilters(problems);
        if (Cancel is { } name && !name.StartsWith("operations/", StringComparison.Ordinal)) problems.Add($"--cancel '{name}' is not an operation name: operations/{{id}}.");
        if (Cancel is not null && IsFiltered) problems.Add("--cancel takes no filters: it stops a republish that is already running.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }
}
