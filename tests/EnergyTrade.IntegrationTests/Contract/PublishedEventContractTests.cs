using System.Reflection;
using System.Text;
using System.Text.Json;
using EnergyTrade.Contracts;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Google.Protobuf.WellKnownTypes;
using MassTransit;
using RabbitMQ.Client;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Contract;

/// <summary>
/// docs/asyncapi.yaml and docs/schemas/ are the event contract for consumers in any language. These
/// tests hold them to the code: the document names the exchanges, queues and URNs the code uses, and
/// every message Shipments really publishes — lone and batched, every kind of change, optional fields
/// set and unset — validates against the schemas, read off a queue bound the way the document says.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PublishedEventContractTests
{
    private static readonly string ErrorQueue = QueueNames.TradeShipmentEvents + "_error";
    /// <summary>Where MassTransit puts the W3C traceparent: there is no header named traceparent.</summary>
    private const string TraceHeader = "MT-Activity-Id";

    private static string UrnOf<T>() => typeof(T).GetCustomAttribute<MessageUrnAttribute>()!.Urn.ToString();

    [Fact]
    public void The_AsyncAPI_document_names_the_exchanges_queues_and_message_types_the_code_uses()
    {
        var doc = AsyncApiDocument.Load();

        Assert.StartsWith("3.", doc.Version);
        Assert.All(doc.Servers, s => Assert.Equal("amqp", AsyncApiDocument.Scalar(s, "protocol")));
        Assert.Equal([ShipmentChanged.ExchangeName, ShipmentChanges.ExchangeName], doc.Exchanges.Select(e => e.Name).Order());
        Assert.All(doc.Exchanges, e => Assert.Equal(ExchangeType.Fanout, e.Type));
        Assert.Equal([QueueNames.TradeShipmentEvents, ErrorQueue], doc.Queues.Select(q => q.Name).Order());
        Assert.All(doc.Queues, q => Assert.True(q.Durable, $"{q.Name} is durable"));
        // A channel's address is the entity its binding names.
        foreach (var (key, channel) in doc.Channels)
        {
            var amqp = AsyncApiDocument.Map(channel, "bindings", "amqp");
            var entity = AsyncApiDocument.Map(amqp, AsyncApiDocument.Scalar(amqp, "is") == "queue" ? "queue" : "exchange");
            Assert.True(AsyncApiDocument.Scalar(channel, "address") == AsyncApiDocument.Scalar(entity, "name"), $"channel {key}: address and binding name differ");
        }

        // Each exchange carries its own message type; Trade's queue gets both.
        var carried = doc.Channels.ToDictionary(c => AsyncApiDocument.Scalar(c.Channel, "address"), c => doc.MessagesOf(c.Channel));
        Assert.Equal([nameof(ShipmentChanged)], carried[ShipmentChanged.ExchangeName]);
        Assert.Equal([nameof(ShipmentChanges)], carried[ShipmentChanges.ExchangeName]);
        Assert.Equal([nameof(ShipmentChanged), nameof(ShipmentChanges)], carried[QueueNames.TradeShipmentEvents].Order());

        foreach (var (name, urn, file) in new[]
        {
            (nameof(ShipmentChanged), UrnOf<ShipmentChanged>(), EventSchemas.ShipmentChanged),
            (nameof(ShipmentChanges), UrnOf<ShipmentChanges>(), EventSchemas.ShipmentChanges),
        })
        {
            var message = doc.Message(name);
            Assert.Equal(urn, AsyncApiDocument.Scalar(AsyncApiDocument.Map(message, "bindings", "amqp"), "messageType"));
            Assert.Equal("application/vnd.masstransit+json", AsyncApiDocument.Scalar(message, "contentType"));
            // The payload is the schema file, not a copy of it: one source of truth.
            Assert.Equal(EventSchemas.PathOf(file), doc.SchemaFile(message, "payload"));
            Assert.Equal(EventSchemas.PathOf(EventSchemas.AmqpHeaders), doc.SchemaFile(message, "headers"));
            using var schema = JsonDocument.Parse(File.ReadAllText(EventSchemas.PathOf(file)));
            Assert.Equal(urn, schema.RootElement.GetProperty("properties").GetProperty("messageType").GetProperty("contains").GetProperty("const").GetString());
        }
        // The schemas as published build: valid draft 2020-12, every $ref between them resolves.
        EventSchemas.Load(closed: false);

        Assert.Contains(doc.Operations, o => o.Action == "send" && o.Channel.EndsWith("/shipmentChanged"));
        Assert.Contains(doc.Operations, o => o.Action == "send" && o.Channel.EndsWith("/shipmentChanges"));
        Assert.Contains(doc.Operations, o => o.Action == "receive" && o.Channel.EndsWith("/tradeShipmentChanged"));
    }

    [Fact]
    public async Task Every_message_Shipments_publishes_validates_against_the_schemas_the_AsyncAPI_document_references()
    {
        var doc = AsyncApiDocument.Load();
        var schemas = EventSchemas.Load(closed: true);
        await using var sut = await ServiceUnderTest.CreateAsync("contract");
        await using var observer = await ObserverQueue.BindAsync(sut.VirtualHost.AmqpUri, doc.Exchanges);
        // A relay woken by a commit waits this long before claiming, so the concurrent creates below
        // travel together in ShipmentChanges messages rather than each on its own.
        var (_, shipments) = await sut.StartShipmentsAsync(environment: new Dictionary<string, string> { ["Outbox__Linger"] = "00:00:00.300" });
        var events = 0;

        // Lone events first, each published before the next call: a ShipmentChanged apiece.
        var bare = await shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = BareShipment() }, Deadline());
        await SentAsync(sut, ++events);
        var full = await shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = FullShipment(), RequestId = Guid.NewGuid().ToString() }, Deadline());
        await SentAsync(sut, ++events);
        full = await shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment
            {
                Name = full.Name,
                Quantity = new Quantity { Value = new Google.Type.Decimal { Value = "85000.5" }, Unit = Quantity.Types.Unit.MetricTonnes, BarrelsPerTonne = new Google.Type.Decimal { Value = "7.45" } },
            },
            UpdateMask = FieldMask.FromString("quantity"),
        }, Deadline());
        await SentAsync(sut, ++events);
        await shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = full.Name, Version = full.Version, Reason = "booked twice" }, Deadline());
        await SentAsync(sut, ++events);
        await shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = bare.Name }, Deadline());
        await SentAsync(sut, ++events);

        // Then concurrent creates, which group commit and the relay batch, and a republish of everything.
        const int burst = 40;
        await Task.WhenAll(Enumerable.Range(1, burst).Select(i => shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo(i % 2 == 0 ? "AZ" : "KZ", "Azeri Light", 10_000m + i, Quantity.Types.Unit.Barrels, null, 2020, 5, i % 28 + 1, "Supsa", valueUsd: 700_000.25m + i),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline(60)).ResponseAsync));
        await SentAsync(sut, events += burst);
        await shipments.StartShipmentRepublishAsync(new RepublishShipmentsRequest(), Deadline());
        await SentAsync(sut, events += 2 + burst);

        var messages = await observer.DrainAsync();

        // The AMQP properties the document states for Shipments' publishes.
        var contentType = AsyncApiDocument.Scalar(doc.Message(nameof(ShipmentChanged)), "contentType");
        var deliveryMode = doc.Operations.Where(o => o.Action == "send" && o.Channel.StartsWith("#/channels/shipmentChange", StringComparison.Ordinal))
            .Select(o => AsyncApiDocument.Scalar(AsyncApiDocument.Map(o.Operation, "bindings", "amqp"), "deliveryMode")).Distinct().Single();
        var errors = new List<string>();
        var kinds = new HashSet<int>();
        var eventsSeen = 0;
        var batchedCreates = 0;
        foreach (var message in messages)
        {
            using var body = JsonDocument.Parse(message.Body);
            var envelope = body.RootElement;
            var file = message.Exchange == ShipmentChanged.ExchangeName ? EventSchemas.ShipmentChanged : EventSchemas.ShipmentChanges;
            var found = schemas.Errors(file, envelope)
                .Concat(schemas.Errors(EventSchemas.AmqpHeaders, JsonSerializer.SerializeToElement(message.HeaderTable())).Select(e => "AMQP headers " + e))
                .ToList();
            if (found.Count > 0) errors.Add($"{message.Exchange} message {message.Properties.MessageId}:\n  {string.Join("\n  ", found)}\n{Encoding.UTF8.GetString(message.Body.Span)}");

            Assert.Equal(contentType, message.Properties.ContentType);
            Assert.Equal(deliveryMode, ((int)message.Properties.DeliveryMode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(message.Properties.MessageId, envelope.GetProperty("messageId").GetString());
            // The trace context, where there is one, is the same in the AMQP headers and in the envelope.
            var traceParent = message.HeaderTable()[TraceHeader]?.GetValue<string>();
            Assert.Equal(traceParent, envelope.GetProperty("headers").TryGetProperty(TraceHeader, out var h) ? h.GetString() : null);

            var changes = file == EventSchemas.ShipmentChanged
                ? [envelope.GetProperty("message")]
                : envelope.GetProperty("message").GetProperty("changes").EnumerateArray().ToList();
            eventsSeen += changes.Count;
            foreach (var change in changes) kinds.Add(change.GetProperty("kind").GetInt32());
            // A message continues the trace of its first event; every change made through the API has one.
            if (changes[0].GetProperty("kind").GetInt32() != (int)ShipmentChangeKind.Republished) Assert.NotNull(traceParent);
            if (changes.Count > 1) batchedCreates = Math.Max(batchedCreates, changes.Count(c => c.GetProperty("kind").GetInt32() == (int)ShipmentChangeKind.Created));
        }

        Assert.True(errors.Count == 0, $"{errors.Count} of {messages.Count} published messages break the schemas:\n{string.Join("\n\n", errors.Take(3))}");
        Assert.Equal(events, eventsSeen);
        Assert.Contains(messages, m => m.Exchange == ShipmentChanged.ExchangeName);
        Assert.Contains(messages, m => m.Exchange == ShipmentChanges.ExchangeName);
        Assert.True(batchedCreates >= 2, $"no ShipmentChanges message carried two or more of the concurrent creates (at most {batchedCreates})");
        Assert.Equal(System.Enum.GetValues<ShipmentChangeKind>().Select(k => (int)k).Order(), kinds.Order());

        // Trade's queue, bound by Shipments to both exchanges, holds the same messages (Trade is not running).
        Assert.Equal((uint)messages.Count, await observer.MessageCountAsync(QueueNames.TradeShipmentEvents));
        Assert.True((await sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents))!.Durable);
    }

    /// <summary>Only what CreateShipment requires: no value, delivery date, ports or conversion factor.</summary>
    private static Shipment BareShipment() => new()
    {
        Shipper = "SOCAR",
        ExporterCountry = "AZ",
        ImporterCountry = "BY",
        OriginCountry = "AZ",
        Grade = "Azeri Light",
        Quantity = new Quantity { Value = new Google.Type.Decimal { Value = "700000" }, Unit = Quantity.Types.Unit.Barrels },
        LoadDate = new Google.Type.Date { Year = 2020, Month = 1, Day = 20 },
    };

    /// <summary>Every optional field set.</summary>
    private static Shipment FullShipment() => new()
    {
        Shipper = "SOCAR",
        ExporterCountry = "AZ",
        ImporterCountry = "BY",
        OriginCountry = "RU",
        Grade = "Urals",
        Quantity = new Quantity { Value = new Google.Type.Decimal { Value = "80000" }, Unit = Quantity.Types.Unit.MetricTonnes, BarrelsPerTonne = new Google.Type.Decimal { Value = "7.25" } },
        Value = new Google.Type.Money { CurrencyCode = "USD", Units = 25_000_000, Nanos = 500_000_000 },
        LoadDate = new Google.Type.Date { Year = 2020, Month = 3, Day = 15 },
        DeliveryDate = new Google.Type.Date { Year = 2020, Month = 3, Day = 29 },
        LoadPort = "Novorossiysk",
        DischargePort = "Odesa",
    };

    /// <summary>Waits until Shipments has marked this many events sent, i.e. RabbitMQ confirmed them.</summary>
    private static Task SentAsync(ServiceUnderTest sut, int events) => Eventually.MatchAsync(
        () => sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NOT NULL"),
        n => n == events, TimeSpan.FromSeconds(30), $"{events} events confirmed by RabbitMQ");
}
