namespace EnergyTrade.Shipments.Revisions;

/// <summary>
/// One version of a shipment (AIP-162), written in the same statement or transaction as the version
/// itself. The shipment as it stood is the shipments row's own image (<see cref="RevisionSql"/>), so
/// the columns of a shipment are stated once, by the shipments table.
/// </summary>
public sealed class ShipmentRevision
{
    public Guid ShipmentId { get; set; }
    public long Version { get; set; }
    /// <summary>The shipment's update_time at this version.</summary>
    public DateTimeOffset UpdateTime { get; set; }
    public RevisionKind Kind { get; set; }
    /// <summary>Proto field paths of Shipment this version changed (for a create, those it populated).</summary>
    public string[] ChangedFields { get; set; } = [];
    public string? ActorSubject { get; set; }
    public string? ActorClient { get; set; }
    public string? Reason { get; set; }
    /// <summary>
    /// jsonb: the shipments row at this version, without its request_id and fingerprint. Written by
    /// SQL from the stored row and read back as a Shipment (<see cref="RevisionHistory"/>), never
    /// through this property.
    /// </summary>
    public string ShipmentImage { get; set; } = "";
}
