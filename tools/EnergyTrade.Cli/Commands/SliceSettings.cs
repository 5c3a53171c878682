using System.ComponentModel;
using EnergyTrade.Cli.Input;
using EnergyTrade.Trade.V1;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands;

/// <summary>Which shipments a trade question counts and how it splits them: the options trade totals and trade series share.</summary>
public abstract class SliceSettings : PairSettings
{
    [CommandOption("--shipper <COMPANY>")]
    [Description("Only shipments sold by this company (case and spacing do not matter)")]
    public string? Shipper { get; set; }

    [CommandOption("--buyer <COMPANY>")]
    [Description("Only shipments received by this company")]
    public string? Buyer { get; set; }

    [CommandOption("--grade <GRADE>")]
    [Description("Only this grade, e.g. \"Azeri Light\"")]
    public string? Grade { get; set; }

    [CommandOption("--load-port <PORT>")]
    [Description("Only shipments loaded at this port")]
    public string? LoadPort { get; set; }

    [CommandOption("--discharge-port <PORT>")]
    [Description("Only shipments discharged at this port")]
    public string? DischargePort { get; set; }

    [CommandOption("--group-by <DIMENSIONS>")]
    [Description("Split each flow by " + SliceInput.Dimensions + ", comma-separated (e.g. grade,shipper)")]
    public string? GroupBy { get; set; }

    [CommandOption("--period <BASIS>")]
    [Description("loading (the month loaded, the default) or delivery (the month delivered, as customs count imports; shows what is still in transit)")]
    public string? Period { get; set; }

    /// <summary>Adds what is wrong with these options to <paramref name="problems"/>.</summary>
    protected void CheckSlice(List<string> problems)
    {
        if (!SliceInput.TryParseGroupBy(GroupBy, out _, out var groupProblem)) problems.Add(groupProblem!);
        if (!SliceInput.TryParsePeriod(Period, out _)) problems.Add(SliceInput.DescribePeriod(Period!));
    }

    /// <summary>Whether any filter, grouping or the delivery basis was asked for.</summary>
    public bool IsSliced => new[] { Shipper, Buyer, Grade, LoadPort, DischargePort, GroupBy }.Any(o => !string.IsNullOrWhiteSpace(o))
        || (SliceInput.TryParsePeriod(Period, out var period) && period == PeriodBasis.Delivery);

    public void ApplyTo(ISlicedRequest request)
    {
        request.Shipper = Shipper ?? "";
        request.Buyer = Buyer ?? "";
        request.Grade = Grade ?? "";
        request.LoadPort = LoadPort ?? "";
        request.DischargePort = DischargePort ?? "";
        if (SliceInput.TryParseGroupBy(GroupBy, out var dimensions, out _)) request.GroupBy.Add(dimensions);
        if (SliceInput.TryParsePeriod(Period, out var period)) request.PeriodBasis = period;
    }
}
