namespace EnergyTrade.Contracts;

public static class QueueNames
{
    /// <summary>
    /// Trade's durable queue for shipment events. Shipments declares and binds it too, so events
    /// published before Trade has ever started are kept rather than dropped by an exchange with no
    /// bound queue.
    /// </summary>
    public const string TradeShipmentChanged = "energytrade.trade.shipment-changed";
}
