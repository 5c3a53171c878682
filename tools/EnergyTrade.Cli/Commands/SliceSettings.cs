using System.ComponentModel;
using EnergyTrade.Cli.Input;
using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands;

/// <summary>The filters, how to split the flows and as of when: the options trade totals and trade series share.</summary>
public abstract class SliceSettings : FilterSettings
{
    public const string AsOfDescription = "The figures as Shipments had recorded them then: a date YYYY-MM-DD (the end of that day, UTC) " +
        "or a timestamp with Z or an offset, e.g. 2020-05-10T12:00:00Z. Default: today's figures";

    [CommandOption("--group-by <DIMENSIONS>")]
    [Description("Split each flow by " + SliceInput.Dimensions + ", comma-separated (e.g. grade,shipper)")]
    public string? GroupBy { get; set; }

    [CommandOption("--as-of <INSTANT>")]
    [Description(AsOfDescription)]
    public string? AsOf { get; set; }

    /// <summary>Adds what is wrong with these options to <paramref name="problems"/>.</summary>
    protected void CheckSlice(List<string> problems)
    {
        CheckFilters(problems);
        if (!SliceInput.TryParseGroupBy(GroupBy, out _, out var groupProblem)) problems.Add(groupProblem!);
        InstantInput.Check("--as-of", AsOf, DateMeans.EndOfDay, problems);
    }

    /// <summary>Whether any filter, grouping or the delivery basis was asked for.</summary>
    public bool IsSliced => IsFiltered || !string.IsNullOrWhiteSpace(GroupBy);

    public Timestamp? AsOfInstant => InstantInput.Parse(AsOf, DateMeans.EndOfDay);

    public void ApplyTo(ISlicedRequest request)
    {
        base.ApplyTo(request);
        if (SliceInput.TryParseGroupBy(GroupBy, out var dimensions, out _)) request.GroupBy.Add(dimensions);
        request.AsOf = AsOfInstant;
    }
}
