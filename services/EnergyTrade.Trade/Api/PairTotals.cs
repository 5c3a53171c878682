using EnergyTrade.ServiceDefaults;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>The sums behind one BilateralTotals answer, kept as decimals so comparisons need no parsing back.</summary>
public sealed record PairTotals(PairQuery Query, IReadOnlyList<FlowSums> Sums)
{
    public IEnumerable<FlowSums> Exports => Sums.Where(s => s.Direction == FlowDirection.Exports);
    public IEnumerable<FlowSums> Imports => Sums.Where(s => s.Direction == FlowDirection.Imports);

    public decimal ExportValue => Exports.Sum(s => s.ValueUsd);
    public decimal ImportValue => Imports.Sum(s => s.ValueUsd);
    public decimal ExportBarrels => Exports.Sum(s => s.Barrels);
    public decimal ImportBarrels => Imports.Sum(s => s.Barrels);

    public V1.BilateralTotals ToProto()
    {
        var totals = new V1.BilateralTotals
        {
            Country = Query.Country,
            Partner = Query.Partner,
            Basis = Query.Basis,
            Exports = FlowSums.ToFlow(Exports, Query.Range.Days),
            Imports = FlowSums.ToFlow(Imports, Query.Range.Days),
            Turnover = ProtoConvert.ToProtoMoney(ExportValue + ImportValue),
            Balance = ProtoConvert.ToProtoMoney(ExportValue - ImportValue),
        };
        if (Query.Range.First is { } first) totals.FirstMonth = ProtoConvert.ToProtoMonth(first);
        if (Query.Range.Last is { } last) totals.LastMonth = ProtoConvert.ToProtoMonth(last);
        if (Sums.Count > 0) totals.UpdateTime = ProtoConvert.ToTimestamp(Sums.Max(s => s.UpdatedAt));
        return totals;
    }
}
