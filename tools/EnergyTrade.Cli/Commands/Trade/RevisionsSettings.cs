using System.ComponentModel;
using EnergyTrade.Cli.Input;
using EnergyTrade.Cli.Output;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Trade;

public sealed class RevisionsSettings : FilterSettings
{
    public const int MaxChangesLimit = 1000;

    [CommandOption("--from <MONTH>")]
    [Description("First month, inclusive, YYYY-MM. Required")]
    public string? From { get; set; }

    [CommandOption("--to <MONTH>")]
    [Description("Last month, inclusive, YYYY-MM. Required; at most 600 months in all")]
    public string? To { get; set; }

    [CommandOption("--basis <BASIS>")]
    [Description("commercial (exporter = seller's country, the default) or origin (exporter = where the oil was produced)")]
    public string? Basis { get; set; }

    [CommandOption("--since <INSTANT>")]
    [Description("Required. The figures before, and the changes recorded after: a date YYYY-MM-DD (changes from the start of that day, UTC, " +
        "against the figures at the end of the day before) or a timestamp with Z or an offset, e.g. 2020-05-01T00:00:00Z")]
    public string? Since { get; set; }

    [CommandOption("--until <INSTANT>")]
    [Description("The figures after, and the last changes counted: a date YYYY-MM-DD (the end of that day, UTC) or a timestamp with Z or an offset. Default: now")]
    public string? Until { get; set; }

    [CommandOption("--max-changes <N>")]
    [Description("Shipment versions listed, 1–1000 (oldest first). Default: the service's (100)")]
    public int? MaxChanges { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        MonthRangeInput.Check(From, To, problems, "for a revision report");
        MonthRangeInput.CheckMonthByMonth(From, To, "a revision report", problems);
        if (Basis is { } basis && !BasisInput.TryParse(basis, allowBoth: false, out _)) problems.Add(BasisInput.Describe(basis));
        CheckFilters(problems);
        if (Since is null) problems.Add("--since is required: the instant to compare with, e.g. --since 2020-05-01 for the changes recorded from 1 May on.");
        InstantInput.Check("--since", Since, DateMeans.JustBeforeDay, problems);
        InstantInput.Check("--until", Until, DateMeans.EndOfDay, problems);
        if (SinceInstant is { } since && UntilInstant is { } until && until < since)
        {
            problems.Add($"--until {Until} ({Instants.Format(until)}) is before --since {Since} ({Instants.Format(since)}); give a later --until, or leave it out for now.");
        }
        if (MaxChanges is { } max && max is < 1 or > MaxChangesLimit) problems.Add($"--max-changes {max} is out of range; use 1 to {MaxChangesLimit}.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }

    public DateOnly? FirstMonth => MonthRangeInput.Parse(From);
    public DateOnly? LastMonth => MonthRangeInput.Parse(To);
    public bool OriginBasis => BasisInput.TryParse(Basis, allowBoth: false, out var basis) && basis == BasisChoice.Origin;
    public Timestamp? SinceInstant => InstantInput.Parse(Since, DateMeans.JustBeforeDay);
    public Timestamp? UntilInstant => InstantInput.Parse(Until, DateMeans.EndOfDay);
}
