using EnergyTrade.Contracts;
using EnergyTrade.EventBus;

namespace EnergyTrade.Shipments.Messaging;

public static class MessagingExtensions
{
    /// <summary>A publish-only bus: the outbox relay marks a row sent only once the broker confirmed it.</summary>
    public static IHostApplicationBuilder AddShipmentsMessaging(this IHostApplicationBuilder builder)
    {
        var tradeQueue = TradeQueue.From(builder.Configuration, QueueNames.TradeShipmentEvents);
        return builder.AddRabbitMqEventBus(_ => { }, (_, cfg) =>
        {
            // RabbitMQ drops a message published to an exchange with no bound queue. Declaring Trade's
            // durable queue and binding it from here keeps events published before Trade ever ran.
            cfg.Publish<ShipmentChanged>(p => p.BindQueue(ShipmentChanged.ExchangeName, tradeQueue.Name, tradeQueue.Configure));
            cfg.Publish<ShipmentChanges>(p => p.BindQueue(ShipmentChanges.ExchangeName, tradeQueue.Name, tradeQueue.Configure));
        });
    }
}
