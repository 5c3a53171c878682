using System.Diagnostics.Metrics;
using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Totals;

namespace EnergyTrade.Trade.Messaging;

/// <summary>What Trade did with the events it received, how late they were, and how old the oldest one it still holds is.</summary>
public sealed class ConsumeMetrics
{
    /// <summary>
    /// Seconds, from a few milliseconds (a healthy pipeline) to half an hour (an outage): the SDK's default
    /// buckets end at 10, below any threshold worth alerting on.
    /// </summary>
    private static readonly double[] LagBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

    private long _applied;
    private long _ignored;
    private long _rejected;
    private readonly Histogram<double> _lag;
    private readonly TimeProvider _time;

    public ConsumeMetrics(IMeterFactory meters, UnappliedEvents unapplied, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(Telemetry.SourceName);
        // Observed, not added to: each series exists from the first scrape, at zero, so rate() and increase() see the
        // first event after a start (a counter's series would appear only with it, its first sample already 1).
        meter.CreateObservableCounter("energytrade.events.applied", () => Volatile.Read(ref _applied), "{event}", "Shipment versions applied to the totals.");
        meter.CreateObservableCounter("energytrade.events.ignored", () => Volatile.Read(ref _ignored), "{event}",
            "Duplicates and stale versions absorbed without changing the totals.");
        meter.CreateObservableCounter("energytrade.events.rejected", () => Volatile.Read(ref _rejected), "{event}",
            "Shipment events refused and moved to the _error queue (see ListRefusedEvents).");
        _lag = meter.CreateHistogram("energytrade.events.lag", "s", "Time from a change in Shipments until Trade applied it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
        meter.CreateObservableGauge("energytrade.events.oldest_unapplied_age", () => unapplied.OldestAge(_time.GetUtcNow()).TotalSeconds, "s",
            "How long ago the oldest event this process has received but not yet applied (or moved to _error) occurred; 0 when it holds none.");
    }

    public void Record(ApplyResult result, IEnumerable<ShipmentChanged> changes)
    {
        Interlocked.Add(ref _applied, result.Applied);
        Interlocked.Add(ref _ignored, result.Ignored);
        var now = _time.GetUtcNow();
        foreach (var change in changes) _lag.Record(Math.Max(0, (now - change.OccurredAt).TotalSeconds));
    }

    public void Refused(int count) => Interlocked.Add(ref _rejected, count);
}
