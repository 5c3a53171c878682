using MassTransit;

namespace EnergyTrade.Contracts;

/// <summary>
/// Published by Shipments for every change to a shipment. It carries the whole snapshot rather
/// than a delta, so a consumer can apply the newest version it sees and ignore older ones,
/// whatever order or number of times the events arrive in.
/// </summary>
/// <remarks>
/// The exchange name is fixed rather than derived from the CLR namespace, so renaming code never
/// silently re-routes the event stream.
/// </remarks>
[EntityName(ShipmentChanged.ExchangeName)]
[MessageUrn(MessageName)]
public sealed record ShipmentChanged
{
    public const string ExchangeName = "energytrade.shipments.shipment-changed";
    /// <summary>The event's name on the wire (the envelope's urn:message:… type) and in the outbox: fixed, whatever the CLR type is called.</summary>
    public const string MessageName = "energytrade:shipments:v1:shipment-changed";

    public required ShipmentChangeKind Kind { get; init; }
    public required ShipmentSnapshot Shipment { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

public enum ShipmentChangeKind
{
    Created,
    Updated,
    Cancelled,
    /// <summary>The current snapshot re-sent so a consumer can rebuild its state.</summary>
    Republished,
}
