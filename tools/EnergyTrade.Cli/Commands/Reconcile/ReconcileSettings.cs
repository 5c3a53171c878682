using System.ComponentModel;
using EnergyTrade.Cli.Input;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Reconcile;

public sealed class ReconcileSettings : PairSettings
{
    [CommandOption("--from <MONTH>")]
    [Description("First month, inclusive, YYYY-MM. Default: unbounded")]
    public string? From { get; set; }

    [CommandOption("--to <MONTH>")]
    [Description("Last month, inclusive, YYYY-MM. Default: unbounded")]
    public string? To { get; set; }

    [CommandOption("--basis <BASIS>")]
    [Description("commercial (the default), origin, or both: each in turn")]
    public string? Basis { get; set; }

    [CommandOption("--wait <SECONDS>")]
    [Description("Check again until Trade agrees or this many seconds have passed (Trade applies changes asynchronously). Default: 0, check once")]
    public int Wait { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        MonthRangeInput.Check(From, To, problems);
        if (Basis is { } basis && !BasisInput.TryParse(basis, allowBoth: true, out _)) problems.Add(BasisInput.Describe(basis, allowBoth: true));
        if (Wait is < 0 or > 3600) problems.Add($"--wait {Wait} is out of range; use 0 to 3600 seconds.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }

    public DateOnly? FirstMonth => MonthRangeInput.Parse(From);
    public DateOnly? LastMonth => MonthRangeInput.Parse(To);

    /// <summary>The bases to check, as the Reconciler takes them: false for commercial, true for origin.</summary>
    public IReadOnlyList<bool> OriginBases => BasisInput.TryParse(Basis, allowBoth: true, out var basis)
        ? basis switch
        {
            BasisChoice.Origin => [true],
            BasisChoice.Both => [false, true],
            _ => [false],
        }
        : [false];
}
