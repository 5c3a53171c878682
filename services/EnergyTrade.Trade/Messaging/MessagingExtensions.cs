using EnergyTrade.Contracts;
using EnergyTrade.EventBus;
using EnergyTrade.Trade.Refusals;
using EnergyTrade.Trade.Totals;
using MassTransit;

namespace EnergyTrade.Trade.Messaging;

public static class MessagingExtensions
{
    public static IHostApplicationBuilder AddTradeMessaging(this IHostApplicationBuilder builder)
    {
        // Messaging:ConsumeEvents=false makes a read-only query replica: it answers every query and
        // watch from the shared database (watches learn of changes through PostgreSQL notifications)
        // but neither consumes events nor needs RabbitMQ, so query capacity scales on its own.
        if (!builder.Configuration.GetValue("Messaging:ConsumeEvents", true)) return builder;

        builder.Services.AddSingleton<RefusalRecorder>();
        return builder.AddRabbitMqEventBus(
            x => x.AddConsumer<ShipmentEventsConsumer, ShipmentEventsConsumerDefinition>(),
            (context, cfg) => cfg.ConfigureEndpoints(context));
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
