using System.ComponentModel;
using EnergyTrade.Cli.Input;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Trade;

public sealed class TotalsSettings : SliceSettings
{
    [CommandOption("--from <MONTH>")]
    [Description("First month, inclusive, YYYY-MM. Default: unbounded (required with --compare)")]
    public string? From { get; set; }

    [CommandOption("--to <MONTH>")]
    [Description("Last month, inclusive, YYYY-MM. Default: unbounded (required with --compare)")]
    public string? To { get; set; }

    [CommandOption("--basis <BASIS>")]
    [Description("commercial (exporter = seller's country, the default) or origin (exporter = where the oil was produced)")]
    public string? Basis { get; set; }

    [CommandOption("--wait <SECONDS>")]
    [Description("Wait up to this long for Trade to catch up with Shipments (Trade learns of shipments asynchronously), then print. Default: 0, print at once")]
    public int Wait { get; set; }

    [CommandOption("--compare")]
    [Description("Compare --from..--to with the same months a year earlier: turnover, exports and imports in value and barrels, with the change in absolute and percent terms")]
    public bool Compare { get; set; }

    [CommandOption("--year-to-date")]
    [Description("With --compare and --to (no --from): January of --to's year up to --to, against the same months a year earlier")]
    public bool YearToDate { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        if (YearToDate)
        {
            if (!Compare) problems.Add("--year-to-date needs --compare.");
            if (From is not null) problems.Add("--year-to-date starts in January of --to's year; leave out --from.");
            MonthRangeInput.Check(null, To, problems);
            if (To is null) problems.Add("--to is required with --year-to-date: the last month of the year to date.");
        }
        else
        {
            MonthRangeInput.Check(From, To, problems, Compare ? "with --compare: it compares those months with the same months a year earlier" : null);
        }
        if (Basis is { } basis && !BasisInput.TryParse(basis, allowBoth: false, out _)) problems.Add(BasisInput.Describe(basis));
        CheckSlice(problems);
        if (Wait > 0 && IsSliced) problems.Add("--wait compares with Shipments' own sums, which are not filtered, grouped or booked by delivery; leave those out to wait.");
        if (Wait > 0 && AsOf is not null) problems.Add("--wait compares today's figures with Shipments' own sums; leave out --as-of to wait, or --wait to see the figures as of then.");
        if (Wait is < 0 or > 3600) problems.Add($"--wait {Wait} is out of range; use 0 to 3600 seconds.");
        if (Compare && Wait > 0) problems.Add("--wait cannot be combined with --compare; wait with `trade totals` (or `reconcile --wait`) first.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }

    public DateOnly? FirstMonth => MonthRangeInput.Parse(From);
    public DateOnly? LastMonth => MonthRangeInput.Parse(To);
    public bool OriginBasis => BasisInput.TryParse(Basis, allowBoth: false, out var basis) && basis == BasisChoice.Origin;
}
