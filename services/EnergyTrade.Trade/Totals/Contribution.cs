using EnergyTrade.Contracts;

namespace EnergyTrade.Trade.Totals;

/// <summary>What one shipment version adds to one totals row.</summary>
public sealed record Contribution(TotalsKey Key, decimal Barrels, decimal Tonnes, decimal? ValueUsd)
{
    /// <summary>An active shipment contributes its figures; a cancelled one contributes nothing.</summary>
    public static Contribution? Of(ShipmentSnapshot s) => s.State == ShipmentState.Active
        ? new Contribution(new TotalsKey(s.ExporterCountry, s.ImporterCountry, s.OriginCountry, s.Period, s.DeliveryPeriod, ShipmentNames.Of(s)),
            s.Barrels, s.Tonnes, s.ValueUsd)
        : null;

    /// <summary>The barrels a price per barrel is over: only those of a shipment that carries a value.</summary>
    public decimal ValuedBarrels => ValueUsd.HasValue ? Barrels : 0;
}

/// <summary>A change to one totals row; counts may be negative when a contribution is withdrawn.</summary>
public sealed record TotalsDelta(TotalsKey Key, long ShipmentCount, decimal Barrels, decimal Tonnes, decimal ValueUsd, long ValuedShipmentCount,
    decimal ValuedBarrels)
{
    public bool IsZero => ShipmentCount == 0 && Barrels == 0 && Tonnes == 0 && ValueUsd == 0 && ValuedShipmentCount == 0 && ValuedBarrels == 0;
}

/// <summary>
/// Turns "replace contribution A by contribution B" for many shipments into one delta per totals row,
/// so a batch costs one upsert however many shipments it holds.
/// </summary>
public sealed class DeltaPlan
{
    private readonly Dictionary<TotalsKey, TotalsDelta> _deltas = [];

    public void Replace(Contribution? previous, Contribution? next)
    {
        if (previous is not null) Add(previous, -1);
        if (next is not null) Add(next, +1);
    }

    /// <summary>Non-zero deltas in lock order.</summary>
    public IReadOnlyList<TotalsDelta> Deltas() =>
        _deltas.Values.Where(d => !d.IsZero).OrderBy(d => d.Key).ToList();

    private void Add(Contribution c, int sign)
    {
        var current = _deltas.GetValueOrDefault(c.Key) ?? new TotalsDelta(c.Key, 0, 0, 0, 0, 0, 0);
        _deltas[c.Key] = current with
        {
            ShipmentCount = current.ShipmentCount + sign,
            Barrels = current.Barrels + sign * c.Barrels,
            Tonnes = current.Tonnes + sign * c.Tonnes,
            ValueUsd = current.ValueUsd + sign * (c.ValueUsd ?? 0),
            ValuedShipmentCount = current.ValuedShipmentCount + (c.ValueUsd.HasValue ? sign : 0),
            ValuedBarrels = current.ValuedBarrels + sign * c.ValuedBarrels,
        };
    }
}
