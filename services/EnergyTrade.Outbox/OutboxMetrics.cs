using System.Diagnostics.Metrics;
using EnergyTrade.ServiceDefaults;

namespace EnergyTrade.Outbox;

/// <summary>
/// What to alert on for the outbox: a backlog that grows, or whose oldest event ages, means events
/// are not reaching RabbitMQ.
/// </summary>
public sealed class OutboxMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;
    private OutboxBacklog _backlog;
    private readonly TimeProvider _time;

    public OutboxMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(Telemetry.SourceName);
        _published = meter.CreateCounter<long>("energytrade.outbox.published", "{event}", "Events confirmed by RabbitMQ and marked sent.");
        _publishFailures = meter.CreateCounter<long>("energytrade.outbox.publish_failures", "{event}", "Events whose publish failed and will be retried.");
        meter.CreateObservableGauge("energytrade.outbox.backlog", () => _backlog.Count, "{event}", "Events committed but not yet confirmed by RabbitMQ.");
        meter.CreateObservableGauge("energytrade.outbox.oldest_age", () => _backlog.Age(_time.GetUtcNow()).Ticks / TimeSpan.TicksPerMillisecond, "ms",
            "Age of the oldest event not yet confirmed by RabbitMQ.");
    }

    public DateTimeOffset LastRefresh { get; private set; }

    public void Published(int count) => _published.Add(count);

    public void PublishFailed(int count) => _publishFailures.Add(count);

    public void Update(OutboxBacklog backlog)
    {
        _backlog = backlog;
        LastRefresh = _time.GetUtcNow();
    }
}
