using EnergyTrade.Contracts;
using EnergyTrade.Trade.Totals;
using MassTransit;

namespace EnergyTrade.Trade.Messaging;

/// <summary>
/// Applies a batch of shipment events in one transaction. Valid snapshots are applied even when
/// others in the batch are not; the message then faults to _error naming the invalid ones, and
/// replaying it later is harmless because applied versions are never applied twice.
/// </summary>
public sealed partial class ShipmentChangesConsumer(TotalsApplier applier, ConsumeMetrics metrics, ILogger<ShipmentChangesConsumer> logger)
    : IConsumer<ShipmentChanges>
{
    public async Task Consume(ConsumeContext<ShipmentChanges> context)
    {
        var changes = context.Message.Changes ?? [];
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
        metrics.Record(result, changes.Where(c => c?.Shipment is not null));
        LogBatch(changes.Count, result.Applied, result.Ignored, context.MessageId);

        if (rejected.Count > 0)
        {
            throw new InvalidShipmentEventException($"{rejected.Count} of {changes.Count} changes rejected: {string.Join(" | ", rejected)}");
        }
    }

    [LoggerMessage(LogLevel.Information, "Batch of {Count} shipment events from message {MessageId}: {Applied} applied, {Ignored} already held")]
    private partial void LogBatch(int count, int applied, int ignored, Guid? messageId);
}
