namespace EnergyTrade.Shipments.Revisions;

/// <summary>What a revision records besides the shipment itself: who, why, and which fields changed.</summary>
public sealed record RevisionNote(Actor Actor, string? Reason, IReadOnlyList<string> ChangedFields);
