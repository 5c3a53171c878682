using System.Collections.Immutable;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using static EnergyTrade.EndToEnd.Tests.Proto;

namespace EnergyTrade.EndToEnd.Tests.Properties;

public sealed record OriginFigures(long Count, decimal Barrels, decimal Tonnes, decimal Value)
{
    public static readonly OriginFigures Zero = new(0, 0, 0, 0);

    public OriginFigures Plus(OriginFigures o, int sign = 1) => new(Count + sign * o.Count, Barrels + sign * o.Barrels, Tonnes + sign * o.Tonnes, Value + sign * o.Value);

    public bool IsZero => this == Zero;
}

/// <summary>One direction of a pair's totals — the figures Trade's FlowTotals and Shipments' FlowSummary both carry — as exact decimals.</summary>
public sealed record FlowFigures(long Count, decimal Barrels, decimal Tonnes, decimal Value, long Valued, ImmutableSortedDictionary<string, OriginFigures> ByOrigin)
{
    private static readonly ImmutableSortedDictionary<string, OriginFigures> NoOrigins = ImmutableSortedDictionary<string, OriginFigures>.Empty.WithComparers(StringComparer.Ordinal);

    public static readonly FlowFigures Zero = new(0, 0, 0, 0, 0, NoOrigins);

    public static FlowFigures Of(FlowTotals? t) => t is null ? Zero : new(t.ShipmentCount, Dec(t.Barrels), Dec(t.Tonnes), Usd(t.Value), t.ValuedShipmentCount,
        Origins(t.ByOrigin.Select(o => (o.OriginCountry, new OriginFigures(o.ShipmentCount, Dec(o.Barrels), Dec(o.Tonnes), Usd(o.Value))))));

    public static FlowFigures Of(FlowSummary? s) => s is null ? Zero : new(s.ShipmentCount, Dec(s.Barrels), Dec(s.Tonnes), Usd(s.Value), s.ValuedShipmentCount,
        Origins(s.ByOrigin.Select(o => (o.OriginCountry, new OriginFigures(o.ShipmentCount, Dec(o.Barrels), Dec(o.Tonnes), Usd(o.Value))))));

    public static FlowFigures Of(IEnumerable<ShipmentView> shipments) => shipments.Aggregate(Zero, (sum, s) => sum.Plus(new FlowFigures(
        1, s.Barrels, s.Tonnes, s.ValueUsd ?? 0, s.ValueUsd is null ? 0 : 1,
        Origins([(s.Origin, new OriginFigures(1, s.Barrels, s.Tonnes, s.ValueUsd ?? 0))]))));

    private static ImmutableSortedDictionary<string, OriginFigures> Origins(IEnumerable<(string Origin, OriginFigures Figures)> entries) =>
        entries.Aggregate(NoOrigins,
            (map, e) => Put(map, e.Origin, map.GetValueOrDefault(e.Origin, OriginFigures.Zero).Plus(e.Figures)));

    // An origin whose shipments were all cancelled may still be listed with zeros: it is the same as not listed.
    private static ImmutableSortedDictionary<string, OriginFigures> Put(ImmutableSortedDictionary<string, OriginFigures> map, string origin, OriginFigures figures) =>
        figures.IsZero ? map.Remove(origin) : map.SetItem(origin, figures);

    public FlowFigures Plus(FlowFigures o, int sign = 1) => new(Count + sign * o.Count, Barrels + sign * o.Barrels, Tonnes + sign * o.Tonnes,
        Value + sign * o.Value, Valued + sign * o.Valued,
        o.ByOrigin.Aggregate(ByOrigin, (map, e) => Put(map, e.Key, map.GetValueOrDefault(e.Key, OriginFigures.Zero).Plus(e.Value, sign))));

    public FlowFigures Minus(FlowFigures o) => Plus(o, -1);

    /// <summary>Each figure of <paramref name="actual"/> that is not this one, named.</summary>
    public IEnumerable<string> Differences(FlowFigures actual, string label)
    {
        if (Count != actual.Count) yield return $"{label} shipments: expected {Count}, got {actual.Count}";
        if (Barrels != actual.Barrels) yield return $"{label} barrels: expected {Barrels}, got {actual.Barrels}";
        if (Tonnes != actual.Tonnes) yield return $"{label} tonnes: expected {Tonnes}, got {actual.Tonnes}";
        if (Value != actual.Value) yield return $"{label} value: expected {Value}, got {actual.Value}";
        if (Valued != actual.Valued) yield return $"{label} valued shipments: expected {Valued}, got {actual.Valued}";
        foreach (var origin in ByOrigin.Keys.Union(actual.ByOrigin.Keys))
        {
            var expected = ByOrigin.GetValueOrDefault(origin, OriginFigures.Zero);
            var got = actual.ByOrigin.GetValueOrDefault(origin, OriginFigures.Zero);
            if (expected != got) yield return $"{label} from {origin}: expected {expected}, got {got}";
        }
    }
}

/// <summary>Both directions of a pair: exports are country → partner, imports partner → country.</summary>
public sealed record PairFigures(FlowFigures Exports, FlowFigures Imports)
{
    public static readonly PairFigures Zero = new(FlowFigures.Zero, FlowFigures.Zero);

    public PairFigures Plus(PairFigures o) => new(Exports.Plus(o.Exports), Imports.Plus(o.Imports));

    public PairFigures Minus(PairFigures o) => new(Exports.Minus(o.Exports), Imports.Minus(o.Imports));

    public IEnumerable<string> Differences(PairFigures actual, string label) =>
        Exports.Differences(actual.Exports, label + " exports").Concat(Imports.Differences(actual.Imports, label + " imports"));
}

/// <summary>A question a check asks of both services: a pair, a basis, and one month or all of them.</summary>
public sealed record PairQuery(string Country, string Partner, bool OriginBasis, DateOnly? Month)
{
    public override string ToString() => $"{Country}–{Partner} {(OriginBasis ? "origin" : "commercial")} {(Month is { } m ? m.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture) : "all months")}";

    /// <summary>What the model's shipments add to this query's answer: the newest version of each, if active.</summary>
    public PairFigures Of(IEnumerable<ShipmentView> shipments)
    {
        var counted = shipments.Where(s => s.Active && (Month is null || s.Month == Month)).ToList();
        string Seller(ShipmentView s) => OriginBasis ? s.Origin : s.Exporter;
        return new PairFigures(
            FlowFigures.Of(counted.Where(s => Seller(s) == Country && s.Importer == Partner)),
            FlowFigures.Of(counted.Where(s => Seller(s) == Partner && s.Importer == Country)));
    }
}
