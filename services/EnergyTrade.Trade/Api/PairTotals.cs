using EnergyTrade.ServiceDefaults;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// The sums behind one BilateralTotals answer, kept as decimals so comparisons need no parsing back;
/// on the delivery basis also what was in transit at the end of the range.
/// </summary>
public sealed record PairTotals(PairQuery Query, IReadOnlyList<FlowSums> Sums, IReadOnlyList<FlowSums>? InTransit = null)
{
    public IEnumerable<FlowSums> Exports => Sums.Where(s => s.Direction == FlowDirection.Exports);
    public IEnumerable<FlowSums> Imports => Sums.Where(s => s.Direction == FlowDirection.Imports);

    public decimal ExportValue => Exports.Sum(s => s.ValueUsd);
    public decimal ImportValue => Imports.Sum(s => s.ValueUsd);
    public decimal ExportBarrels => Exports.Sum(s => s.Barrels);
    public decimal ImportBarrels => Imports.Sum(s => s.Barrels);

    public V1.BilateralTotals ToProto()
    {
        var grouped = !Query.Slice.GroupBy.IsEmpty;
        var totals = new V1.BilateralTotals
        {
            Country = Query.Country,
            Partner = Query.Partner,
            Basis = Query.Basis,
            PeriodBasis = Query.Period,
            Exports = FlowSums.ToFlow(Exports, Query.Range.Days, grouped),
            Imports = FlowSums.ToFlow(Imports, Query.Range.Days, grouped),
            Turnover = ProtoConvert.ToProtoMoney(ExportValue + ImportValue),
            Balance = ProtoConvert.ToProtoMoney(ExportValue - ImportValue),
        };
        if (Query.Range.First is { } first) totals.FirstMonth = ProtoConvert.ToProtoMonth(first);
        if (Query.Range.Last is { } last) totals.LastMonth = ProtoConvert.ToProtoMonth(last);
        if (InTransit is not null)
        {
            // A stock at one moment, not a flow over the range: no rate.
            totals.InTransit = new V1.InTransit
            {
                Exports = FlowSums.ToFlow(InTransit.Where(s => s.Direction == FlowDirection.Exports), null, grouped),
                Imports = FlowSums.ToFlow(InTransit.Where(s => s.Direction == FlowDirection.Imports), null, grouped),
            };
        }
        if (Query.AsOf is { } asOf) totals.AsOf = ProtoConvert.ToTimestamp(asOf);
        var updates = Sums.Concat(InTransit ?? []).ToList();
        if (updates.Count > 0) totals.UpdateTime = ProtoConvert.ToTimestamp(updates.Max(s => s.UpdatedAt));
        return totals;
    }
}
