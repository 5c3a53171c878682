namespace EnergyTrade.Shipments.Outbox;

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
    /// <summary>The CLR name of the contract, so the relay can deserialize the payload.</summary>
    public required string MessageType { get; set; }
    public required string Payload { get; set; }
    /// <summary>The shipment the event concerns, for logs and targeted republishing.</summary>
    public Guid? ShipmentId { get; set; }
    /// <summary>W3C traceparent of the request that wrote the row, so the trace survives the hop.</summary>
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
