namespace EnergyTrade.Shipments.Api;

/// <summary>
/// ListShipmentRevisions' cursor (AIP-158, encoded by PageTokens): the shipment it belongs to, so it
/// cannot be replayed against another one, and the last version returned; revisions never change, so
/// the next page starts right below it.
/// </summary>
public sealed record RevisionPageToken(string Shipment, long Version);
