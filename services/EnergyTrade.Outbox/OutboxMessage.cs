namespace EnergyTrade.Outbox;

/// <summary>
/// An event waiting to be published, written in the same transaction as the change it describes,
/// so a committed change always has its event and a rolled-back one never does.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Commit order; the relay publishes oldest first.</summary>
    public long Id { get; set; }
    /// <summary>The broker message id, fixed at write time so every re-publish carries the same id.</summary>
    public Guid MessageId { get; set; }
    /// <summary>The contract's fixed message name (<see cref="OutboxMessageTypes"/>), so the relay can read the payload.</summary>
    public required string MessageType { get; set; }
    public required string Payload { get; set; }
    /// <summary>What the event concerns (a shipment), for logs and for finding a subject's events.</summary>
    public Guid? SubjectId { get; set; }
    /// <summary>W3C traceparent of the request that wrote the row, so the trace survives the hop.</summary>
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
