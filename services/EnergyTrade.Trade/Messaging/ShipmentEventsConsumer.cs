using EnergyTrade.Contracts;
using EnergyTrade.Trade.Totals;
using MassTransit;

namespace EnergyTrade.Trade.Messaging;

/// <summary>
/// Applies shipment events to the totals, whichever shape they travel in: a lone ShipmentChanged or a
/// ShipmentChanges batch, each applied in one transaction. Valid snapshots are applied even when others
/// in the batch break the rule book; the message then faults to _error naming those, and replaying it
/// later is harmless because applied versions are never applied twice.
/// </summary>
public sealed partial class ShipmentEventsConsumer(TotalsApplier applier, ConsumeMetrics metrics, ILogger<ShipmentEventsConsumer> logger)
    : IConsumer<ShipmentChanged>, IConsumer<ShipmentChanges>
{
    public Task Consume(ConsumeContext<ShipmentChanged> context) => ApplyAsync([context.Message], context);

    public Task Consume(ConsumeContext<ShipmentChanges> context) => ApplyAsync(context.Message.Changes ?? [], context);

    private async Task ApplyAsync(IReadOnlyList<ShipmentChanged?> changes, ConsumeContext context)
    {
        var valid = new List<IncomingSnapshot>(changes.Count);
        var rejected = new List<string>();
        for (var i = 0; i < changes.Count; i++)
        {
            var snapshot = changes[i]?.Shipment;
            var problems = snapshot is null ? ["no shipment snapshot"] : snapshot.Problems().Select(p => p.ToString()).ToList();
            if (problems.Count == 0) valid.Add(new IncomingSnapshot(snapshot!, context.MessageId));
            else rejected.Add($"change {i} ({snapshot?.ShipmentId}): {string.Join("; ", problems)}");
        }

        var result = valid.Count > 0
            ? await applier.ApplyAsync(valid, context.CancellationToken)
            : new ApplyResult(0, 0);
        metrics.Record(result, changes.OfType<ShipmentChanged>().Where(c => c.Shipment is not null));
        LogApplied(changes.Count, result.Applied, result.Ignored, context.MessageId);

        if (rejected.Count > 0)
        {
            // Never retried: the same bytes would fail again. MassTransit moves it to _error, where it is recorded.
            throw new InvalidShipmentEventException($"{rejected.Count} of {changes.Count} changes rejected: {string.Join(" | ", rejected)}");
        }
    }

    [LoggerMessage(LogLevel.Debug, "{Count} shipment event(s) from message {MessageId}: {Applied} applied, {Ignored} already held")]
    private partial void LogApplied(int count, int applied, int ignored, Guid? messageId);
}

/// <summary>An event that would corrupt the totals if applied.</summary>
public sealed class InvalidShipmentEventException(string reason) : Exception($"Rejected shipment event: {reason}");
