using MassTransit;

namespace EnergyTrade.Contracts;

/// <summary>
/// Several <see cref="ShipmentChanged"/> events in one broker message. The outbox relay sends what
/// it claimed together this way, so one persistent message and one consumer transaction carry
/// many events: per-message costs (broker fsync, confirm, commit) are paid once per batch.
/// Each change is still a whole snapshot and is applied exactly as if it had come alone.
/// </summary>
[EntityName(ExchangeName)]
[MessageUrn(MessageName)]
public sealed record ShipmentChanges
{
    public const string ExchangeName = "energytrade.shipments.shipment-changes";
    public const string MessageName = "energytrade:shipments:v1:shipment-changes";

    public required IReadOnlyList<ShipmentChanged> Changes { get; init; }
}
