using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyTrade.Shipments.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// A publish-only MassTransit bus. Publisher confirms are on (MassTransit's default for RabbitMQ),
    /// so the relay marks a row sent only after the broker has taken responsibility for it.
    /// </summary>
    public static IHostApplicationBuilder AddShipmentsMessaging(this IHostApplicationBuilder builder)
    {
        var endpoint = RabbitMqEndpoint.Parse(builder.Configuration.GetConnectionString("RabbitMq"));
        var tradeQueue = builder.Configuration["Messaging:TradeQueue"] ?? QueueNames.TradeShipmentChanged;

        builder.Services.AddMassTransit(x =>
        {
            // A broker outage degrades Shipments (events wait in the outbox) but must not take it out of service.
            x.ConfigureHealthCheckOptions(o =>
            {
                o.Name = "rabbitmq";
                o.MinimalFailureStatus = HealthStatus.Degraded;
                o.Tags.Add(ServiceDefaultsExtensions.ReadyTag);
            });
            x.UsingRabbitMq((_, cfg) =>
            {
                cfg.Host(endpoint.Host, endpoint.Port, endpoint.VirtualHost, h =>
                {
                    h.Username(endpoint.Username);
                    h.Password(endpoint.Password);
                    if (endpoint.UseTls) h.UseSsl(s => s.ServerName = endpoint.Host);
                });
                // RabbitMQ drops a message published to an exchange with no bound queue. Declaring Trade's
                // durable queue and binding it from here keeps events published before Trade ever ran.
                cfg.Publish<ShipmentChanged>(p => p.BindQueue(ShipmentChanged.ExchangeName, tradeQueue));
                cfg.Publish<ShipmentChanges>(p => p.BindQueue(ShipmentChanges.ExchangeName, tradeQueue));
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }
}
