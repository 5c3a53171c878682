using System.ComponentModel;
using EnergyTrade.Cli.Input;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Trade;

public sealed class WatchSettings : PairSettings
{
    [CommandOption("--from <MONTH>")]
    [Description("First month, inclusive, YYYY-MM. Default: unbounded")]
    public string? From { get; set; }

    [CommandOption("--to <MONTH>")]
    [Description("Last month, inclusive, YYYY-MM. Default: unbounded")]
    public string? To { get; set; }

    [CommandOption("--basis <BASIS>")]
    [Description("commercial (exporter = seller's country, the default) or origin (exporter = where the oil was produced)")]
    public string? Basis { get; set; }

    // Hidden and always refused: strict parsing would refuse it too, but only as an unknown option;
    // this says why a watch has none and where the figures as of an instant are.
    [CommandOption("--as-of <INSTANT>", IsHidden = true)]
    public string? AsOf { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        MonthRangeInput.Check(From, To, problems);
        if (Basis is { } basis && !BasisInput.TryParse(basis, allowBoth: false, out _)) problems.Add(BasisInput.Describe(basis));
        if (AsOf is not null) problems.Add("--as-of does not apply to trade watch, which follows today's figures as they change; use trade totals --as-of for the figures as of an instant.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }

    public DateOnly? FirstMonth => MonthRangeInput.Parse(From);
    public DateOnly? LastMonth => MonthRangeInput.Parse(To);
    public bool OriginBasis => BasisInput.TryParse(Basis, allowBoth: false, out var basis) && basis == BasisChoice.Origin;
}
