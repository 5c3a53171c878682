using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Refusals;
using EnergyTrade.Trade.Totals;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyTrade.Trade.Messaging;

public static class MessagingExtensions
{
    public static IHostApplicationBuilder AddTradeMessaging(this IHostApplicationBuilder builder)
    {
        // Messaging:ConsumeEvents=false makes a read-only query replica: it answers every query and
        // watch from the shared database (watches learn of changes through PostgreSQL notifications)
        // but neither consumes events nor needs RabbitMQ, so query capacity scales on its own.
        if (!builder.Configuration.GetValue("Messaging:ConsumeEvents", true)) return builder;

        var endpoint = RabbitMqEndpoint.Parse(builder.Configuration.GetConnectionString("RabbitMq"));
        builder.Services.AddSingleton<RefusalRecorder>();
        builder.Services.AddMassTransit(x =>
        {
            // Queries keep answering from PostgreSQL while the broker is away: degraded, not out of service.
            x.ConfigureHealthCheckOptions(o =>
            {
                o.Name = "rabbitmq";
                o.MinimalFailureStatus = HealthStatus.Degraded;
                o.Tags.Add(ServiceDefaultsExtensions.ReadyTag);
            });
            x.AddConsumer<ShipmentEventsConsumer, ShipmentEventsConsumerDefinition>();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(endpoint.Host, endpoint.Port, endpoint.VirtualHost, h =>
                {
                    h.Username(endpoint.Username);
                    h.Password(endpoint.Password);
                    if (endpoint.UseTls) h.UseSsl(s => s.ServerName = endpoint.Host);
                });
                cfg.ConfigureEndpoints(context);
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

/// <summary>
/// Moves a message that reached the queue but that no consumer accepted (an unknown message type) to
/// the _error queue as a fault — MT-Fault-* headers and a ReceiveFault event, exactly like a message
/// that failed to deserialize — instead of to _skipped. Used as the endpoint's dead-letter pipe.
/// </summary>
internal sealed class UnconsumedToErrorFilter(RefusalRecorder recorder) : IFilter<ReceiveContext>
{
    private readonly IPipe<ExceptionReceiveContext> _errorPipe = Pipe.New<ExceptionReceiveContext>(p =>
    {
        p.UseFilter(new MassTransit.Middleware.GenerateFaultFilter());
        p.UseFilter(new MassTransit.Middleware.ErrorTransportFilter());
        p.UseFilter(recorder);
    });

    public void Probe(ProbeContext context) => context.CreateFilterScope("unconsumedToError");

    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        // On RabbitMQ the receive context carries no ConsumeContext to name the message types; the body has them.
        var reason = new MessageNotConsumedException(context.InputAddress,
            $"No consumer on {context.InputAddress} accepts this message (content type {context.ContentType?.MediaType ?? "unknown"}).");
        await _errorPipe.Send(new MassTransit.Middleware.Rescue.RescueExceptionReceiveContext(context, reason));
        await next.Send(context);
    }
}
