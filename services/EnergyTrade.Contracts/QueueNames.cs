namespace EnergyTrade.Contracts;

public static class QueueNames
{
    /// <summary>
    /// Trade's durable quorum queue for shipment events (its _error queue is a quorum queue too).
    /// Shipments declares and binds it as well, so events published before Trade has ever started are
    /// kept rather than dropped by an exchange with no bound queue.
    /// </summary>
    public const string TradeShipmentEvents = "energytrade.trade.shipment-events";

    /// <summary>
    /// The classic queue of releases before quorum queues. A queue's type cannot change, so the quorum
    /// queue has a new name; scripts/migrate-trade-queue.sh moves what is left here into it and deletes
    /// it (docs/reliability.md, "Moving from the classic queue to the quorum queue").
    /// </summary>
    public const string ClassicTradeShipmentChanged = "energytrade.trade.shipment-changed";
}
