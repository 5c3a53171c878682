using EnergyTrade.Persistence;
using EnergyTrade.Contracts;
using EnergyTrade.EventBus;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Refusals;
using EnergyTrade.Trade.Totals;
using MassTransit;

namespace EnergyTrade.Trade.Messaging;

/// <summary>
/// Trade's receive endpoint, in one place: its queue (Messaging:TradeQueue), how much it takes at once,
/// which failures are retried and for how long, and where the rest go (_error, recorded).
/// </summary>
public sealed class ShipmentEventsConsumerDefinition : ConsumerDefinition<ShipmentEventsConsumer>
{
    private readonly int _prefetch;
    private readonly RefusalRecorder _recorder;
    private readonly TradeQueue _queue;
    private readonly UnappliedEventsFilter _unapplied;

    public ShipmentEventsConsumerDefinition(IConfiguration configuration, RefusalRecorder recorder, UnappliedEvents unapplied, TimeProvider time)
    {
        _recorder = recorder;
        _unapplied = new UnappliedEventsFilter(unapplied, time);
        _prefetch = configuration.GetValue("Messaging:PrefetchCount", 64);
        _queue = TradeQueue.From(configuration, QueueNames.TradeShipmentEvents);
        EndpointName = _queue.Name;
        ConcurrentMessageLimit = configuration.GetValue("Messaging:ConcurrentMessageLimit", 16);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ShipmentEventsConsumer> consumer,
        IRegistrationContext context)
    {
        endpoint.PrefetchCount = _prefetch;
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit) _queue.Configure(rabbit);
        // Nobody subscribes to Fault<T> events, and publishing them would need broker rights beyond
        // Trade's own queues: the _error queue and refused_events are the record.
        endpoint.PublishFaults = false;
        // A message counts as held through all the retries below (energytrade.events.oldest_unapplied_age). Those sit in
        // each message type's pipe, which a plain endpoint filter would run inside of; a pre-pipe filter runs before the
        // dispatch to message types, outside them.
        endpoint.AddPrePipeSpecification(new MassTransit.Configuration.FilterPipeSpecification<ConsumeContext>(_unapplied));
        // Outer policy: while the database is unreachable, keep retrying (the message stays
        // unacknowledged, bounded by the prefetch count) rather than dead-lettering good events.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<Exception>(IsTransient);
            r.Exponential(int.MaxValue, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500));
        });
        // Inner policy: anything else gets a few quick retries (deadlocks, races), then _error.
        endpoint.UseMessageRetry(r =>
        {
            r.Ignore<InvalidShipmentEventException>();
            r.Ignore<Exception>(IsTransient);
            r.Intervals(50, 200, 1000);
        });
        // A message of a type no consumer here takes is poison too: _error (with the fault headers),
        // not MassTransit's default _skipped queue that nothing watches.
        endpoint.ConfigureDeadLetter(d => d.UseFilter(new UnconsumedToErrorFilter(_recorder)));
        // MassTransit's own error pipe (fault headers, move to _error), then the record of it.
        endpoint.ConfigureError(x =>
        {
            x.UseFilter(new MassTransit.Middleware.GenerateFaultFilter());
            x.UseFilter(new MassTransit.Middleware.ErrorTransportFilter());
            x.UseFilter(_recorder);
        });
    }

    /// <summary>Failures that say nothing about the event itself: it is retried until they pass, never dead-lettered.</summary>
    private static bool IsTransient(Exception ex) => TransientFailures.IsTransient(ex) || ex is NotificationQueueFullException;
}
