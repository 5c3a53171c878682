using System.ComponentModel;
using EnergyTrade.Cli.Input;
using EnergyTrade.Trade.V1;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands;

/// <summary>Which shipments a pair question counts and in which month: the options trade totals, series and revisions share.</summary>
public abstract class FilterSettings : PairSettings
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

    [CommandOption("--period <BASIS>")]
    [Description("loading (the month loaded, the default) or delivery (the month delivered, as customs count imports; shows what is still in transit)")]
    public string? Period { get; set; }

    /// <summary>Adds what is wrong with these options to <paramref name="problems"/>.</summary>
    protected void CheckFilters(List<string> problems)
    {
        if (!SliceInput.TryParsePeriod(Period, out _)) problems.Add(SliceInput.DescribePeriod(Period!));
    }

    /// <summary>Whether any filter or the delivery basis was asked for.</summary>
    public bool IsFiltered => new[] { Shipper, Buyer, Grade, LoadPort, DischargePort }.Any(o => !string.IsNullOrWhiteSpace(o))
        || (SliceInput.TryParsePeriod(Period, out var period) && period == PeriodBasis.Delivery);

    public void ApplyTo(IFilteredRequest request)
    {
        request.Shipper = Shipper ?? "";
        request.Buyer = Buyer ?? "";
        request.Grade = Grade ?? "";
        request.LoadPort = LoadPort ?? "";
        request.DischargePort = DischargePort ?? "";
        if (SliceInput.TryParsePeriod(Period, out var period)) request.PeriodBasis = period;
    }
}
