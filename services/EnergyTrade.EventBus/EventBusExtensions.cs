using EnergyTrade.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace EnergyTrade.EventBus;

public static class EventBusExtensions
{
    /// <summary>
    /// A MassTransit bus on the RabbitMQ of ConnectionStrings:RabbitMq (amqp:// or amqps://). Publisher
    /// confirms stay on (MassTransit's default for RabbitMQ), so a publish completes only once the broker
    /// has taken responsibility for the message. A broker outage makes the service Degraded, not
    /// unready: Shipments keeps recording (events wait in its outbox) and Trade keeps answering queries.
    /// With Messaging:ClusterNodes the bus connects to any node of a cluster and moves to the next one
    /// when its node goes away.
    /// </summary>
    /// <param name="register">Adds the service's consumers, if any.</param>
    /// <param name="configure">The service's topology on the bus: bindings, endpoints.</param>
    public static IHostApplicationBuilder AddRabbitMqEventBus(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> register,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> configure)
    {
        var endpoint = RabbitMqEndpoint.Parse(builder.Configuration.GetConnectionString("RabbitMq"));
        var listed = RabbitMqClusterNodes.From(builder.Configuration);
        var nodes = RabbitMqClusterNodes.Rotated(listed, Random.Shared.Next(Math.Max(1, listed.Count)));
        builder.Services.AddMassTransit(x =>
        {
            x.ConfigureHealthCheckOptions(o =>
            {
                o.Name = "rabbitmq";
                o.MinimalFailureStatus = HealthStatus.Degraded;
                o.Tags.Add(ServiceDefaultsExtensions.ReadyTag);
            });
            register(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(endpoint.Host, endpoint.Port, endpoint.VirtualHost, h =>
                {
                    h.Username(endpoint.Username);
                    h.Password(endpoint.Password);
                    if (endpoint.UseTls) h.UseSsl(s => s.ServerName = endpoint.Host);
                    if (nodes.Count > 0) h.UseCluster(c => { foreach (var node in nodes) c.Node(node); });
                    // A node cut off without a reset (a network partition) is noticed by heartbeats:
                    // within two missed ones, then the connection moves to another node.
                    h.Heartbeat(TimeSpan.FromSeconds(10));
                    h.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                });
                configure(context, cfg);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            // Start without waiting for the broker: the service is useful without it, and MassTransit keeps reconnecting.
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }
}
