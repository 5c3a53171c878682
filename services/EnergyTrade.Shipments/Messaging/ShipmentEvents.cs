using EnergyTrade.Contracts;
using EnergyTrade.Outbox;

namespace EnergyTrade.Shipments.Messaging;

/// <summary>What Shipments' outbox carries: <see cref="ShipmentChanged"/>, travelling in runs as <see cref="ShipmentChanges"/>.</summary>
public static class ShipmentEvents
{
    public static readonly OutboxMessageTypes Outbox = new OutboxMessageTypes()
        // Rows written before message names were fixed carry the CLR name.
        .Add<ShipmentChanged>(ShipmentChanged.MessageName, formerNames: "ShipmentChanged")
        .Batch<ShipmentChanged, ShipmentChanges>(changes => new ShipmentChanges { Changes = changes.ToList() });
}
