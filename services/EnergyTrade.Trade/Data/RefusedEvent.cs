namespace EnergyTrade.Trade.Data;

/// <summary>
/// A shipment version that reached Trade and was not counted — refused by the rule book, or failing
/// after its retries — or, with an empty ShipmentId, a message that could not be read at all. Kept
/// so that nothing sits in the _error queue unnoticed: reconciliation names it, readiness degrades
/// while any exist, and the row goes once that version or a newer one has been applied.
/// </summary>
public sealed class RefusedEvent
{
    public Guid MessageId { get; set; }
    /// <summary>Guid.Empty when the message could not be read.</summary>
    public Guid ShipmentId { get; set; }
    public long? Version { get; set; }
    public string? ExporterCountry { get; set; }
    public string? ImporterCountry { get; set; }
    public string? OriginCountry { get; set; }
    public DateOnly? Month { get; set; }
    public decimal? Barrels { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset RefusedAt { get; set; }
}
