using System.ComponentModel;
using EnergyTrade.Cli.Input;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Trade;

public sealed class SeriesSettings : SliceSettings
{
    [CommandOption("--from <MONTH>")]
    [Description("First month, inclusive, YYYY-MM. Required")]
    public string? From { get; set; }

    [CommandOption("--to <MONTH>")]
    [Description("Last month, inclusive, YYYY-MM. Required; at most 600 months in all")]
    public string? To { get; set; }

    [CommandOption("--basis <BASIS>")]
    [Description("commercial (exporter = seller's country, the default) or origin (exporter = where the oil was produced)")]
    public string? Basis { get; set; }

    [CommandOption("--granularity <SIZE>")]
    [Description("month (the default), quarter or year: calendar quarters and years, the first and last clipped to the range")]
    public string? Granularity { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        MonthRangeInput.Check(From, To, problems, "for a series");
        MonthRangeInput.CheckMonthByMonth(From, To, "a series", problems);
        if (Basis is { } basis && !BasisInput.TryParse(basis, allowBoth: false, out _)) problems.Add(BasisInput.Describe(basis));
        if (Granularity is { } granularity && !GranularityInput.TryParse(granularity, out _)) problems.Add(GranularityInput.Describe(granularity));
        CheckSlice(problems);
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }

    public DateOnly? FirstMonth => MonthRangeInput.Parse(From);
    public DateOnly? LastMonth => MonthRangeInput.Parse(To);
    public bool OriginBasis => BasisInput.TryParse(Basis, allowBoth: false, out var basis) && basis == BasisChoice.Origin;
}
