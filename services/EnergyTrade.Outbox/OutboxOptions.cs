namespace EnergyTrade.Outbox;

/// <summary>Configuration section "Outbox".</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Rows claimed and published per round trip.</summary>
    public int BatchSize { get; set; } = 200;
    /// <summary>
    /// Most events carried by one broker message. Batchable events claimed together travel as one
    /// envelope (<see cref="OutboxMessageTypes.Batch"/>, e.g. <c>ShipmentChanges</c>) of up to this many; 1 sends every event on its own.
    /// </summary>
    public int MaxEventsPerMessage { get; set; } = 100;
    /// <summary>
    /// How long the relay waits, once woken by a commit, before claiming: the events committed
    /// meanwhile travel in the same message. Adds at most this much to every event's latency.
    /// Off by default: at the rates measured so far (docs/benchmarks.md) 5 ms or 20 ms made no
    /// difference beyond the noise, because group commit already hands the relay whole batches.
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.Zero;
    /// <summary>How often to look for rows when nothing signalled (e.g. rows written by another replica).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>How long one batch may wait for RabbitMQ's publisher confirms.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Sent rows are kept this long for inspection, then deleted.</summary>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);
    /// <summary>A backlog older than this makes the outbox health check report Degraded.</summary>
    public TimeSpan BacklogWarningAge { get; set; } = TimeSpan.FromSeconds(30);
}
