using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Shipments;

public sealed class ListSettings : ShipmentFilterSettings
{
    public const int MaxPageSize = 1000;

    [CommandOption("--page-size <N>")]
    [Description("Shipments per page, 1–1000. Default: the service's (50)")]
    public int? PageSize { get; set; }

    [CommandOption("--page-token <TOKEN>")]
    [Description("Continue from where a previous page ended")]
    public string? PageToken { get; set; }

    [CommandOption("--all")]
    [Description("Fetch every page, not just the first")]
    public bool All { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        CheckFilters(problems);
        if (PageSize is { } size && size is < 1 or > MaxPageSize) problems.Add($"--page-size {size} is out of range; use 1 to {MaxPageSize}.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }
}
