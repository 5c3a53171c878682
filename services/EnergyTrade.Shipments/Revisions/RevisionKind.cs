namespace EnergyTrade.Shipments.Revisions;

/// <summary>What made a revision; stored by name, like a shipment's state.</summary>
public enum RevisionKind
{
    /// <summary>
    /// The version a shipment had when revisions began to be kept (seeded by the Revisions migration):
    /// its earlier versions are not known, and neither are the actor and the changed fields.
    /// </summary>
    Recorded,
    Created,
    Updated,
    Cancelled,
}
