using EnergyTrade.Trade.V1;
using EnergyTrade.Web.Api;

namespace EnergyTrade.Web.Pairs;

/// <summary>What the pair view shows: the range's totals, each month, and the same a year earlier.</summary>
public sealed record PairView(string Country, string Partner, string From, string To, DateTimeOffset? UpdateTime,
    TotalsView Totals, IReadOnlyList<MonthView> Months, YearEarlierView PreviousYear);

public sealed record YearEarlierView(string From, string To, TotalsView Totals, IReadOnlyList<MonthView> Months);

public sealed record TotalsView(FlowView Exports, FlowView Imports, string Turnover, string Balance)
{
    public static TotalsView From(BilateralTotals totals, int days) =>
        new(FlowView.From(totals.Exports, days), FlowView.From(totals.Imports, days), Figures.Text(totals.Turnover), Figures.Text(totals.Balance));
}

public sealed record MonthView(string Month, FlowView Exports, FlowView Imports)
{
    public static MonthView From(MonthlyTotals month)
    {
        var days = DateTime.DaysInMonth(month.Month.Year, month.Month.Month);
        return new($"{month.Month.Year:0000}-{month.Month.Month:00}", FlowView.From(month.Exports, days), FlowView.From(month.Imports, days));
    }
}

/// <param name="Groups">When the bars are stacked by a dimension other than origin: the flow by its values.</param>
public sealed record FlowView(long ShipmentCount, string Barrels, string? BarrelsPerDay, string Tonnes, string Value,
    long ValuedShipmentCount, string? AveragePricePerBarrel, IReadOnlyList<OriginView> ByOrigin, IReadOnlyList<GroupView> Groups)
{
    /// <summary>A flow over a period of <paramref name="days"/> calendar days (each origin's rate is over the same days).</summary>
    public static FlowView From(FlowTotals? flow, int days)
    {
        flow ??= new FlowTotals();
        return new(flow.ShipmentCount, Figures.Text(flow.Barrels), Figures.TextOrNull(flow.BarrelsPerDay), Figures.Text(flow.Tonnes),
            Figures.Text(flow.Value), flow.ValuedShipmentCount, Figures.TextOrNull(flow.AveragePricePerBarrel),
            [.. flow.ByOrigin.Select(o => OriginView.From(o, days))], [.. flow.Groups.Select(g => GroupView.From(g, days))]);
    }
}

/// <param name="Key">The dimension's value (a company, grade or port name); empty when the shipments recorded none.</param>
public sealed record GroupView(string Key, long ShipmentCount, string Barrels, string BarrelsPerDay, string Value, long ValuedShipmentCount)
{
    public static GroupView From(FlowGroup group, int days)
    {
        var barrels = EnergyTrade.Client.ProtoValues.ToDecimal(group.Totals?.Barrels);
        return new(group.Keys.FirstOrDefault() ?? "", group.Totals?.ShipmentCount ?? 0, Figures.Text(barrels), Figures.PerDay(barrels, days),
            Figures.Text(group.Totals?.Value), group.Totals?.ValuedShipmentCount ?? 0);
    }
}

public sealed record OriginView(string Origin, bool Undisclosed, long ShipmentCount, string Barrels, string BarrelsPerDay, string Value)
{
    public static OriginView From(OriginTotals origin, int days)
    {
        var barrels = EnergyTrade.Client.ProtoValues.ToDecimal(origin.Barrels);
        return new(origin.OriginCountry, origin.Undisclosed, origin.ShipmentCount, Figures.Text(barrels), Figures.PerDay(barrels, days), Figures.Text(origin.Value));
    }
}
