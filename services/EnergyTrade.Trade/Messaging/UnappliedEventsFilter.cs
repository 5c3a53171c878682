using EnergyTrade.Contracts;
using MassTransit;

namespace EnergyTrade.Trade.Messaging;

/// <summary>
/// Holds each message's oldest change in <see cref="UnappliedEvents"/> from the moment it enters the
/// consume pipe until it leaves it, applied or faulted. Added before the retry policies, so a message
/// stays held through every retry.
/// </summary>
internal sealed class UnappliedEventsFilter(UnappliedEvents unapplied, TimeProvider time) : IFilter<ConsumeContext>
{
    public void Probe(ProbeContext context) => context.CreateFilterScope("unappliedEvents");

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        using var held = unapplied.Hold(OccurredAt(context));
        await next.Send(context);
    }

    /// <summary>When the message's oldest change happened in Shipments; for anything unreadable, when it was sent.</summary>
    private DateTimeOffset OccurredAt(ConsumeContext context)
    {
        try
        {
            if (context.TryGetMessage<ShipmentChanges>(out var batch))
            {
                var times = (batch.Message.Changes ?? []).OfType<ShipmentChanged>().Select(c => c.OccurredAt).Where(t => t != default).ToList();
                if (times.Count > 0) return times.Min();
            }
            if (context.TryGetMessage<ShipmentChanged>(out var single) && single.Message.OccurredAt != default) return single.Message.OccurredAt;
        }
        catch (Exception)
        {
            // A body that cannot be read faults in the consumer, with the reason; here it only needs an age.
        }
        return context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : time.GetUtcNow();
    }
}
