using System.Diagnostics;
using System.Text.Json;
using EnergyTrade.Contracts;

namespace EnergyTrade.Shipments.Outbox;

/// <summary>Writes events into outbox rows and reads them back for publishing.</summary>
public static class OutboxSerializer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Message names as the contracts fix them, never CLR names, so renaming code cannot strand a row.</summary>
    private static readonly Dictionary<string, Type> Types = new()
    {
        [ShipmentChanged.MessageName] = typeof(ShipmentChanged),
        // Rows written before names were fixed carry the CLR name.
        ["ShipmentChanged"] = typeof(ShipmentChanged),
    };

    public static OutboxMessage Create(ShipmentChanged message, Guid? shipmentId, DateTimeOffset now) => new()
    {
        MessageId = Guid.CreateVersion7(),
        MessageType = ShipmentChanged.MessageName,
        Payload = JsonSerializer.Serialize(message, Json),
        ShipmentId = shipmentId,
        TraceParent = Activity.Current?.Id,
        CreatedAt = now,
    };

    public static bool IsShipmentChanged(OutboxMessage row) => Types.GetValueOrDefault(row.MessageType) == typeof(ShipmentChanged);

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
