using System.Diagnostics;
using System.Text.Json;
using EnergyTrade.Contracts;

namespace EnergyTrade.Shipments.Outbox;

/// <summary>Writes events into outbox rows and reads them back for publishing.</summary>
public static class OutboxSerializer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, Type> Types = new()
    {
        [nameof(ShipmentChanged)] = typeof(ShipmentChanged),
    };

    public static OutboxMessage Create<T>(T message, Guid? shipmentId, DateTimeOffset now) where T : class => new()
    {
        MessageId = Guid.CreateVersion7(),
        MessageType = typeof(T).Name,
        Payload = JsonSerializer.Serialize(message, Json),
        ShipmentId = shipmentId,
        TraceParent = Activity.Current?.Id,
        CreatedAt = now,
    };

    public static (object Message, Type Type) Read(OutboxMessage row)
    {
        if (!Types.TryGetValue(row.MessageType, out var type))
        {
            throw new InvalidOperationException($"Outbox row {row.Id} has unknown message type '{row.MessageType}'.");
        }
        var message = JsonSerializer.Deserialize(row.Payload, type, Json)
            ?? throw new InvalidOperationException($"Outbox row {row.Id} has an empty payload.");
        return (message, type);
    }
}
