using System.Text.Json;
using EnergyTrade.Contracts;
using EnergyTrade.Trade.Messaging;
using MassTransit;
using MassTransit.Serialization;

namespace EnergyTrade.Trade.Refusals;

/// <summary>
/// The last step of the receive endpoint's error pipe: runs once for every message MassTransit has
/// just moved to the _error queue — refused by the rule book, failing after its retries, unreadable,
/// or of a type nothing consumes — and records what it held that is now not counted, so nothing is
/// parked there in silence (<see cref="RefusalLog"/>, the refusal metric, readiness).
/// </summary>
public sealed partial class RefusalRecorder(RefusalLog log, ConsumeMetrics metrics, ILogger<RefusalRecorder> logger) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        var messageId = context.GetMessageId() ?? NewId.NextGuid();
        var failure = $"{context.ExceptionInfo.ExceptionType}: {context.ExceptionInfo.Message}";
        try
        {
            var snapshots = Snapshots(context.Body);
            var recorded = await log.RecordAsync(messageId, snapshots, s => ReasonFor(s, failure), CancellationToken.None);
            metrics.Refused(recorded);
            LogRefused(messageId, recorded, failure);
        }
        catch (Exception ex)
        {
            // The message is already in _error: failing here would only have it redelivered and moved again.
            metrics.Refused(1);
            LogNotRecorded(ex, messageId, failure);
        }
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("refusalRecorder");

    /// <summary>A snapshot that breaks the rule book is refused for that; any other was refused by the failure itself.</summary>
    private static string ReasonFor(ShipmentSnapshot? snapshot, string failure)
    {
        if (snapshot is null) return failure;
        var problems = snapshot.Problems();
        return problems.Count > 0 ? "Refused by the rule book: " + string.Join("; ", problems) : failure;
    }

    /// <summary>The snapshots the message carried, or null when it cannot be read as a shipment event.</summary>
    internal static IReadOnlyList<ShipmentSnapshot>? Snapshots(MessageBody body)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body.GetBytes());
            if (!envelope.RootElement.TryGetProperty("message", out var message)) return null;
            var types = envelope.RootElement.TryGetProperty("messageType", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
                : [];
            var options = SystemTextJsonMessageSerializer.Options;
            if (types.Any(u => u.EndsWith(":shipment-changes", StringComparison.Ordinal)))
            {
                return message.Deserialize<ShipmentChanges>(options)?.Changes?.Select(c => c?.Shipment).OfType<ShipmentSnapshot>().ToList();
            }
            if (types.Any(u => u.EndsWith(":shipment-changed", StringComparison.Ordinal)))
            {
                return message.Deserialize<ShipmentChanged>(options)?.Shipment is { } snapshot ? [snapshot] : null;
            }
            return null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    [LoggerMessage(LogLevel.Error, "Message {MessageId} moved to _error: {Count} refusal(s) recorded. Cause: {Failure}. See docs/reliability.md, 'Refused events', for how to re-drive it once fixed")]
    private partial void LogRefused(Guid messageId, int count, string failure);

    [LoggerMessage(LogLevel.Error, "Message {MessageId} moved to _error but its refusal could not be recorded; it is still in the _error queue. Cause of the refusal: {Failure}")]
    private partial void LogNotRecorded(Exception exception, Guid messageId, string failure);
}
