using System.Text;
using System.Text.Json;
using EnergyTrade.Contracts;
using RabbitMQ.Client;

namespace EnergyTrade.Testing;

/// <summary>
/// Publishes straight into RabbitMQ, bypassing Shipments: duplicates, reordered versions and
/// poison messages exactly as a misbehaving producer or a redelivery would present them.
/// </summary>
public sealed class RawEvents : IAsyncDisposable
{
    public const string MessageUrn = "urn:message:energytrade:shipments:v1:shipment-changed";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private RawEvents(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RawEvents> ConnectAsync(Uri amqp)
    {
        var connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new RawEvents(connection, channel);
    }

    /// <summary>A ShipmentChanged in MassTransit's JSON envelope, published to the event's exchange.</summary>
    public Task PublishAsync(ShipmentSnapshot snapshot, Guid? messageId = null, ShipmentChangeKind kind = ShipmentChangeKind.Created)
    {
        var id = messageId ?? Guid.NewGuid();
        var envelope = new
        {
            messageId = id,
            messageType = new[] { MessageUrn },
            sentTime = DateTimeOffset.UtcNow,
            headers = new Dictionary<string, object>(),
            message = new ShipmentChanged { Kind = kind, Shipment = snapshot, OccurredAt = DateTimeOffset.UtcNow },
        };
        return PublishBytesAsync(JsonSerializer.SerializeToUtf8Bytes(envelope, Json), id.ToString());
    }

    /// <summary>
    /// Re-sends an event exactly as Shipments wrote it to its outbox (the payload column), as a
    /// broker redelivery or a relay re-send after a crash would.
    /// </summary>
    public Task PublishPayloadAsync(string shipmentChangedJson, Guid? messageId = null)
    {
        var id = messageId ?? Guid.NewGuid();
        var envelope = new System.Text.Json.Nodes.JsonObject
        {
            ["messageId"] = id.ToString(),
            ["messageType"] = new System.Text.Json.Nodes.JsonArray(MessageUrn),
            ["sentTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["headers"] = new System.Text.Json.Nodes.JsonObject(),
            ["message"] = System.Text.Json.Nodes.JsonNode.Parse(shipmentChangedJson),
        };
        return PublishBytesAsync(Encoding.UTF8.GetBytes(envelope.ToJsonString()), id.ToString());
    }

    /// <summary>Any bytes at all, with MassTransit's content type: for malformed and foreign messages.</summary>
    public Task PublishRawAsync(string body, string? messageId = null) =>
        PublishBytesAsync(Encoding.UTF8.GetBytes(body), messageId ?? Guid.NewGuid().ToString());

    private async Task PublishBytesAsync(byte[] body, string messageId)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/vnd.masstransit+json",
            MessageId = messageId,
        };
        await _channel.BasicPublishAsync(ShipmentChanged.ExchangeName, "", mandatory: false, properties, body);
    }

    public static ShipmentSnapshot Snapshot(Guid shipmentId, long version, decimal barrels, string origin = "AZ",
        int year = 2020, int month = 3, ShipmentState state = ShipmentState.Active, string exporter = "AZ", string importer = "BY",
        decimal? valueUsd = null) => new()
    {
        ShipmentId = shipmentId,
        Version = version,
        State = state,
        Shipper = "SOCAR",
        ExporterCountry = exporter,
        ImporterCountry = importer,
        OriginCountry = origin,
        Grade = "Azeri Light",
        QuantityValue = barrels,
        QuantityUnit = QuantityUnit.Barrels,
        BarrelsPerTonne = 7.5m,
        Barrels = barrels,
        Tonnes = Math.Round(barrels / 7.5m, 3, MidpointRounding.ToEven),
        ValueUsd = valueUsd,
        LoadDate = new DateOnly(year, month, 10),
        CreateTime = DateTimeOffset.UtcNow,
        UpdateTime = DateTimeOffset.UtcNow,
    };

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
