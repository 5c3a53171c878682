using System.Collections.Concurrent;
using System.Globalization;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>
/// What the client was told: every shipment Shipments acknowledged, at the newest version any reply
/// carried. Trade's totals must equal the sums over it exactly — each acknowledged shipment once,
/// at its latest version, cancelled ones not at all.
/// </summary>
public sealed class Ledger
{
    private readonly ConcurrentDictionary<string, Shipment> _latest = new(StringComparer.Ordinal);
    private long _replies;

    /// <summary>Acknowledged shipments (distinct names).</summary>
    public int Count => _latest.Count;

    /// <summary>Acknowledging replies received, including replays of a retried request_id.</summary>
    public long Replies => Interlocked.Read(ref _replies);

    public IReadOnlyCollection<Shipment> Shipments => _latest.Values.ToList();

    public void Record(Shipment reply)
    {
        Interlocked.Increment(ref _replies);
        _latest.AddOrUpdate(reply.Name, reply, (_, old) => reply.Version >= old.Version ? reply : old);
    }

    public Shipment Latest(string name) => _latest[name];

    /// <summary>The exact figures of the shipments from <paramref name="exporter"/> to <paramref name="importer"/> loaded in the month range.</summary>
    public ExpectedFlow Flow(string exporter, string importer, DateOnly? firstMonth, DateOnly? lastMonth)
    {
        var flow = new ExpectedFlow();
        foreach (var s in _latest.Values)
        {
            if (s.State != Shipment.Types.State.Active || s.ExporterCountry != exporter || s.ImporterCountry != importer) continue;
            var month = new DateOnly(s.LoadDate.Year, s.LoadDate.Month, 1);
            if (month < firstMonth || month > lastMonth) continue;
            flow.Add(s.OriginCountry, Dec(s.Barrels), Dec(s.Tonnes), s.Value is null ? null : Usd(s.Value));
        }
        return flow;
    }

    public static decimal Dec(Google.Type.Decimal? d) =>
        d is null || d.Value.Length == 0 ? 0m : decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static decimal Usd(Google.Type.Money m) => m.Units + m.Nanos / 1_000_000_000m;
}

public sealed class ExpectedFlow
{
    public long ShipmentCount { get; private set; }
    public decimal Barrels { get; private set; }
    public decimal Tonnes { get; private set; }
    public decimal ValueUsd { get; private set; }
    public long ValuedShipmentCount { get; private set; }
    public Dictionary<string, (long Count, decimal Barrels, decimal Tonnes, decimal ValueUsd)> ByOrigin { get; } = new(StringComparer.Ordinal);

    public void Add(string origin, decimal barrels, decimal tonnes, decimal? valueUsd)
    {
        ShipmentCount++;
        Barrels += barrels;
        Tonnes += tonnes;
        ValueUsd += valueUsd ?? 0;
        if (valueUsd.HasValue) ValuedShipmentCount++;
        var o = ByOrigin.GetValueOrDefault(origin);
        ByOrigin[origin] = (o.Count + 1, o.Barrels + barrels, o.Tonnes + tonnes, o.ValueUsd + (valueUsd ?? 0));
    }
}
