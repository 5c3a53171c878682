using System.Collections.Immutable;
using EnergyTrade.ServiceDefaults;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

public enum FlowDirection
{
    Exports,
    Imports,
}

/// <summary>A group's value of each group_by dimension, in order; compared by content.</summary>
public sealed class GroupKeys(ImmutableArray<string?> values) : IEquatable<GroupKeys>
{
    public static readonly GroupKeys None = new([]);

    public ImmutableArray<string?> Values { get; } = values;

    public static implicit operator GroupKeys(string?[] values) => new([.. values]);

    public bool Equals(GroupKeys? other) => other is not null && Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as GroupKeys);

    public override int GetHashCode() => Values.Aggregate(17, (h, v) => h * 31 + StringComparer.Ordinal.GetHashCode(v ?? ""));

    /// <summary>Ordinal, value by value, so groups tied on barrels come in one order on every replica.</summary>
    public static int Compare(GroupKeys a, GroupKeys b)
    {
        for (var i = 0; i < Math.Min(a.Values.Length, b.Values.Length); i++)
        {
            var c = string.CompareOrdinal(a.Values[i], b.Values[i]);
            if (c != 0) return c;
        }
        return a.Values.Length.CompareTo(b.Values.Length);
    }
}

/// <summary>Sums over the bilateral_totals rows of one direction, one origin (null: undisclosed) and one group.</summary>
public sealed record FlowSums(FlowDirection Direction, string? Origin, GroupKeys Keys, long ShipmentCount, decimal Barrels, decimal Tonnes,
    decimal ValueUsd, long ValuedShipmentCount, decimal ValuedBarrels, DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// A flow's totals, its by-origin split and, when the sums carry group keys, its groups. Sums
    /// whose shipments were all cancelled still count towards the totals (they are zero) but are left
    /// out of by_origin and groups, where a zero line would name something nothing came from.
    /// </summary>
    /// <param name="days">The calendar days of the period asked for, for the rate; null leaves it unset.</param>
    public static V1.FlowTotals ToFlow(IEnumerable<FlowSums> sums, int? days, bool grouped = false)
    {
        var all = sums as IReadOnlyCollection<FlowSums> ?? sums.ToList();
        var flow = Totals(all, days);
        flow.ByOrigin.AddRange(all.GroupBy(s => s.Origin ?? "", StringComparer.Ordinal)
            .Select(g => (Origin: g.Key, Sums: Total(g)))
            .Where(o => o.Sums.ShipmentCount > 0)
            .OrderByDescending(o => o.Sums.Barrels).ThenBy(o => o.Origin, StringComparer.Ordinal)
            .Select(o => new V1.OriginTotals
            {
                OriginCountry = o.Origin,
                Undisclosed = o.Origin.Length == 0,
                ShipmentCount = o.Sums.ShipmentCount,
                Barrels = ProtoConvert.ToProtoDecimal(o.Sums.Barrels),
                Tonnes = ProtoConvert.ToProtoDecimal(o.Sums.Tonnes),
                Value = ProtoConvert.ToProtoMoney(o.Sums.ValueUsd),
            }));
        if (grouped)
        {
            flow.Groups.AddRange(all.GroupBy(s => s.Keys)
                .Select(g => (Keys: g.Key, Sums: g.ToList()))
                .Where(g => g.Sums.Sum(s => s.ShipmentCount) > 0)
                .OrderByDescending(g => g.Sums.Sum(s => s.Barrels)).ThenBy(g => g.Keys, Comparer<GroupKeys>.Create(GroupKeys.Compare))
                .Select(g =>
                {
                    var group = new V1.FlowGroup { Totals = ToFlow(g.Sums, days) };
                    group.Keys.AddRange(g.Keys.Values.Select(v => v ?? ""));
                    return group;
                }));
        }
        return flow;
    }

    private static V1.FlowTotals Totals(IReadOnlyCollection<FlowSums> sums, int? days)
    {
        var total = Total(sums);
        var flow = new V1.FlowTotals
        {
            ShipmentCount = total.ShipmentCount,
            Barrels = ProtoConvert.ToProtoDecimal(total.Barrels),
            Tonnes = ProtoConvert.ToProtoDecimal(total.Tonnes),
            Value = ProtoConvert.ToProtoMoney(total.ValueUsd),
            ValuedShipmentCount = total.ValuedShipmentCount,
            ValuedBarrels = ProtoConvert.ToProtoDecimal(total.ValuedBarrels),
        };
        if (days is > 0 and var d)
        {
            flow.BarrelsPerDay = ProtoConvert.ToProtoDecimal(Math.Round(total.Barrels / d, 3, MidpointRounding.ToEven));
        }
        if (total.ValuedBarrels > 0)
        {
            flow.AveragePricePerBarrel = ProtoConvert.ToProtoMoney(Math.Round(total.ValueUsd / total.ValuedBarrels, 2, MidpointRounding.ToEven));
        }
        return flow;
    }

    private static (long ShipmentCount, decimal Barrels, decimal Tonnes, decimal ValueUsd, long ValuedShipmentCount, decimal ValuedBarrels) Total(
        IEnumerable<FlowSums> sums)
    {
        (long, decimal, decimal, decimal, long, decimal) t = default;
        foreach (var s in sums)
        {
            t = (t.Item1 + s.ShipmentCount, t.Item2 + s.Barrels, t.Item3 + s.Tonnes, t.Item4 + s.ValueUsd, t.Item5 + s.ValuedShipmentCount,
                t.Item6 + s.ValuedBarrels);
        }
        return t;
    }
}
