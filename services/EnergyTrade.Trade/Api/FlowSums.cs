using EnergyTrade.ServiceDefaults;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

public enum FlowDirection
{
    Exports,
    Imports,
}

/// <summary>Sums over the bilateral_totals rows of one direction and one origin.</summary>
public sealed record FlowSums(FlowDirection Direction, string Origin, long ShipmentCount, decimal Barrels, decimal Tonnes,
    decimal ValueUsd, long ValuedShipmentCount, DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// A flow's totals and its by-origin split. Sums whose shipments were all cancelled still count
    /// towards the totals (they are zero) but are left out of by_origin, where a zero line would
    /// name a country nothing came from.
    /// </summary>
    /// <param name="days">The calendar days of the period asked for, for the rate; null leaves it unset.</param>
    public static V1.FlowTotals ToFlow(IEnumerable<FlowSums> sums, int? days)
    {
        var byOrigin = sums.GroupBy(s => s.Origin, StringComparer.Ordinal)
            .Select(g => new
            {
                Origin = g.Key,
                ShipmentCount = g.Sum(s => s.ShipmentCount),
                Barrels = g.Sum(s => s.Barrels),
                Tonnes = g.Sum(s => s.Tonnes),
                ValueUsd = g.Sum(s => s.ValueUsd),
                ValuedShipmentCount = g.Sum(s => s.ValuedShipmentCount),
            })
            .ToList();
        var flow = new V1.FlowTotals
        {
            ShipmentCount = byOrigin.Sum(o => o.ShipmentCount),
            Barrels = ProtoConvert.ToProtoDecimal(byOrigin.Sum(o => o.Barrels)),
            Tonnes = ProtoConvert.ToProtoDecimal(byOrigin.Sum(o => o.Tonnes)),
            Value = ProtoConvert.ToProtoMoney(byOrigin.Sum(o => o.ValueUsd)),
            ValuedShipmentCount = byOrigin.Sum(o => o.ValuedShipmentCount),
        };
        if (days is > 0 and var d)
        {
            flow.BarrelsPerDay = ProtoConvert.ToProtoDecimal(Math.Round(byOrigin.Sum(o => o.Barrels) / d, 3, MidpointRounding.ToEven));
        }
        flow.ByOrigin.AddRange(byOrigin
            .Where(o => o.ShipmentCount > 0)
            .OrderByDescending(o => o.Barrels).ThenBy(o => o.Origin, StringComparer.Ordinal)
            .Select(o => new V1.OriginTotals
            {
                OriginCountry = o.Origin,
                ShipmentCount = o.ShipmentCount,
                Barrels = ProtoConvert.ToProtoDecimal(o.Barrels),
                Tonnes = ProtoConvert.ToProtoDecimal(o.Tonnes),
                Value = ProtoConvert.ToProtoMoney(o.ValueUsd),
            }));
        return flow;
    }
}
