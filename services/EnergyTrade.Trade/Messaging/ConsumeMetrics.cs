using System.Diagnostics.Metrics;
using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Totals;

namespace EnergyTrade.Trade.Messaging;

/// <summary>What Trade did with the events it received, and how late they were.</summary>
public sealed class ConsumeMetrics
{
    private readonly Counter<long> _applied;
    private readonly Counter<long> _ignored;
    private readonly Counter<long> _rejected;
    private readonly Histogram<long> _lag;
    private readonly TimeProvider _time;

    public ConsumeMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(Telemetry.SourceName);
        _applied = meter.CreateCounter<long>("energytrade.events.applied", "{event}", "Shipment versions applied to the totals.");
        _ignored = meter.CreateCounter<long>("energytrade.events.ignored", "{event}", "Duplicates and stale versions absorbed without changing the totals.");
        _rejected = meter.CreateCounter<long>("energytrade.events.rejected", "{event}", "Shipment events refused and moved to the _error queue (see ListRefusedEvents).");
        _lag = meter.CreateHistogram<long>("energytrade.events.lag", "ms", "Time from a change in Shipments until Trade applied it.");
    }

    public void Record(ApplyResult result, IEnumerable<ShipmentChanged> changes)
    {
        _applied.Add(result.Applied);
        _ignored.Add(result.Ignored);
        var now = _time.GetUtcNow();
        foreach (var change in changes) _lag.Record((now - change.OccurredAt).Ticks / TimeSpan.TicksPerMillisecond);
    }

    public void Refused(int count) => _rejected.Add(count);
}
