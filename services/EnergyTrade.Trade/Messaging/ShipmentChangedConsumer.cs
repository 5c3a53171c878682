using EnergyTrade.Contracts;
using EnergyTrade.Trade.Totals;
using MassTransit;

namespace EnergyTrade.Trade.Messaging;

/// <summary>Applies each shipment event to the totals; duplicates and older versions change nothing.</summary>
public sealed partial class ShipmentChangedConsumer(TotalsApplier applier, ConsumeMetrics metrics, ILogger<ShipmentChangedConsumer> logger)
    : IConsumer<ShipmentChanged>
{
    public async Task Consume(ConsumeContext<ShipmentChanged> context)
    {
        var snapshot = context.Message.Shipment;
        var problems = snapshot is null ? ["the event carries no shipment snapshot"] : snapshot.Problems().Select(p => p.ToString()).ToList();
        if (problems.Count > 0)
        {
            // Never retried: the same bytes would fail again. MassTransit moves it to the _error queue.
            throw new InvalidShipmentEventException(string.Join("; ", problems));
        }

        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["ShipmentId"] = snapshot!.ShipmentId, ["MessageId"] = context.MessageId });
        var result = await applier.ApplyAsync([new IncomingSnapshot(snapshot, context.MessageId)], context.CancellationToken);
        metrics.Record(result, [context.Message]);
        if (result.Applied > 0)
        {
            LogApplied(snapshot.ShipmentId, snapshot.Version, context.Message.Kind, context.MessageId);
        }
        else
        {
            LogIgnored(snapshot.ShipmentId, snapshot.Version, context.MessageId);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Applied shipment {ShipmentId} v{Version} ({Kind}) from message {MessageId}")]
    private partial void LogApplied(Guid shipmentId, long version, ShipmentChangeKind kind, Guid? messageId);

    [LoggerMessage(LogLevel.Debug, "Ignored shipment {ShipmentId} v{Version} from message {MessageId}: that version or a newer one is already applied")]
    private partial void LogIgnored(Guid shipmentId, long version, Guid? messageId);
}

/// <summary>An event that would corrupt the totals if applied.</summary>
public sealed class InvalidShipmentEventException(string reason) : Exception($"Rejected shipment event: {reason}");
