using System.Diagnostics.Metrics;
using EnergyTrade.ServiceDefaults;

namespace EnergyTrade.Outbox;

/// <summary>
/// What to alert on for the outbox: a backlog that grows, or whose oldest event ages, means events
/// are not reaching RabbitMQ.
/// </summary>
public sealed class OutboxMetrics
{
    private long _published;
    private long _publishFailures;
    private volatile OutboxBacklog _backlog = OutboxBacklog.Empty;
    private readonly TimeProvider _time;

    public OutboxMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(Telemetry.SourceName);
        // Observed, not added to: each series exists from the first scrape, at zero, so rate() and increase() see the
        // first event after a start (a counter's series would appear only with it, its first sample already 1).
        meter.CreateObservableCounter("energytrade.outbox.published", () => Volatile.Read(ref _published), "{event}", "Events confirmed by RabbitMQ and marked sent.");
        meter.CreateObservableCounter("energytrade.outbox.publish_failures", () => Volatile.Read(ref _publishFailures), "{event}",
            "Events whose publish failed and will be retried.");
        meter.CreateObservableGauge("energytrade.outbox.backlog", () => _backlog.Count, "{event}", "Events committed but not yet confirmed by RabbitMQ.");
        meter.CreateObservableGauge("energytrade.outbox.oldest_age", () => _backlog.Age(_time.GetUtcNow()).TotalSeconds, "s",
            "Age of the oldest event not yet confirmed by RabbitMQ.");
    }

    public DateTimeOffset LastRefresh { get; private set; }

    public void Published(int count) => Interlocked.Add(ref _published, count);

    public void PublishFailed(int count) => Interlocked.Add(ref _publishFailures, count);

    public void Update(OutboxBacklog backlog)
    {
        _backlog = backlog;
        LastRefresh = _time.GetUtcNow();
    }
}
