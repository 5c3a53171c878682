using System.Collections.Immutable;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Which shipments an answer counts — those whose names match every filter given, compared by
/// <see cref="Contracts.Names.Key"/> — and the dimensions each flow is grouped by, in order.
/// </summary>
public sealed record TotalsSlice(string? Shipper, string? Buyer, string? Grade, string? LoadPort, string? DischargePort, GroupBy GroupBy)
{
    public static readonly TotalsSlice Everything = new(null, null, null, null, null, GroupBy.None);

    /// <summary>The filters given, as (dimension, key).</summary>
    public IEnumerable<(V1.Dimension Dimension, string Key)> Filters()
    {
        if (Shipper is not null) yield return (V1.Dimension.Shipper, Shipper);
        if (Buyer is not null) yield return (V1.Dimension.Buyer, Buyer);
        if (Grade is not null) yield return (V1.Dimension.Grade, Grade);
        if (LoadPort is not null) yield return (V1.Dimension.LoadPort, LoadPort);
        if (DischargePort is not null) yield return (V1.Dimension.DischargePort, DischargePort);
    }
}

/// <summary>Dimensions to group by, compared by content so equal queries share a cache entry.</summary>
public sealed class GroupBy(ImmutableArray<V1.Dimension> dimensions) : IEquatable<GroupBy>
{
    public static readonly GroupBy None = new([]);

    public ImmutableArray<V1.Dimension> Dimensions { get; } = dimensions;

    public bool IsEmpty => Dimensions.IsEmpty;

    public bool Equals(GroupBy? other) => other is not null && Dimensions.SequenceEqual(other.Dimensions);

    public override bool Equals(object? obj) => Equals(obj as GroupBy);

    public override int GetHashCode() => Dimensions.Aggregate(17, (h, d) => h * 31 + (int)d);
}
