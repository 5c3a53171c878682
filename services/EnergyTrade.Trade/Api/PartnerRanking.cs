using EnergyTrade.ServiceDefaults;
using V1 = EnergyTrade.Trade.V1;
using OrderBy = EnergyTrade.Trade.V1.ListPartnersRequest.Types.OrderBy;

namespace EnergyTrade.Trade.Api;

/// <summary>Orders a country's partners, largest first, and numbers them.</summary>
public static class PartnerRanking
{
    /// <summary>
    /// Ties go to the partner code, ordinal, so the order — and with it every page — is the same on
    /// every call and every replica. Partners with no shipment left (all cancelled) are not partners.
    /// </summary>
    /// <param name="days">The calendar days of the range asked for, for each flow's rate; null when it is open.</param>
    public static IReadOnlyList<V1.PartnerTotals> Rank(IEnumerable<PartnerFlowSums> sums, OrderBy orderBy, int? days = null)
    {
        var partners = sums
            .GroupBy(s => s.Partner, StringComparer.Ordinal)
            .Select(g =>
            {
                var exports = g.Select(s => s.Sums).Where(s => s.Direction == FlowDirection.Exports).ToList();
                var imports = g.Select(s => s.Sums).Where(s => s.Direction == FlowDirection.Imports).ToList();
                return new
                {
                    Partner = g.Key,
                    Exports = exports,
                    Imports = imports,
                    ShipmentCount = exports.Sum(s => s.ShipmentCount) + imports.Sum(s => s.ShipmentCount),
                    ExportValue = exports.Sum(s => s.ValueUsd),
                    ImportValue = imports.Sum(s => s.ValueUsd),
                    Barrels = exports.Sum(s => s.Barrels) + imports.Sum(s => s.Barrels),
                };
            })
            .Where(p => p.ShipmentCount > 0)
            .ToList();

        var ordered = orderBy == OrderBy.Barrels
            ? partners.OrderByDescending(p => p.Barrels)
            : partners.OrderByDescending(p => p.ExportValue + p.ImportValue);
        return ordered.ThenBy(p => p.Partner, StringComparer.Ordinal)
            .Select((p, i) => new V1.PartnerTotals
            {
                Partner = p.Partner,
                Rank = i + 1,
                Exports = FlowSums.ToFlow(p.Exports, days),
                Imports = FlowSums.ToFlow(p.Imports, days),
                Turnover = ProtoConvert.ToProtoMoney(p.ExportValue + p.ImportValue),
                Balance = ProtoConvert.ToProtoMoney(p.ExportValue - p.ImportValue),
                TurnoverBarrels = ProtoConvert.ToProtoDecimal(p.Barrels),
            })
            .ToList();
    }
}
