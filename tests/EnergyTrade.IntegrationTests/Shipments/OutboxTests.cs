using EnergyTrade.Contracts;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Shipments;

[Trait("Category", "Integration")]
public sealed class OutboxTests
{
    private static CreateShipmentRequest Request(int day, string? requestId = null, decimal barrels = 100_000m) => new()
    {
        Shipment = SeedShipments.Cargo("AZ", "Azeri Light", barrels, Quantity.Types.Unit.Barrels, null, 2020, 3, day, "Supsa"),
        RequestId = requestId ?? Guid.NewGuid().ToString(),
    };

    [Fact]
    public async Task Shipments_are_accepted_while_RabbitMQ_is_unreachable_and_their_events_are_published_once_it_returns()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("outage");
        var proxy = await sut.ProxyToRabbitMqAsync();
        proxy.Cut();
        var (_, shipments) = await sut.StartShipmentsAsync(rabbitProxy: proxy);

        for (var i = 1; i <= 25; i++)
        {
            await shipments.CreateShipmentAsync(Request(i % 28 + 1), Deadline());
        }
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(25, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"));
        Assert.Null(await sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents));

        proxy.Restore();
        await Eventually.MatchAsync(() => sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"),
            n => n == 0, TimeSpan.FromSeconds(60), "the outbox to drain after RabbitMQ returned");

        // Trade has never run, yet the events wait in its durable queue: Shipments declared and bound it.
        var queue = await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents),
            q => q?.Total > 0, TimeSpan.FromSeconds(10), "events in Trade's queue");
        Assert.True(queue!.Durable);
        Assert.Equal(25, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(DISTINCT message_id) FROM outbox_messages"));

        // Each of them counts once when Trade starts.
        var (_, trade) = await sut.StartTradeAsync();
        var totals = await Eventually.MatchAsync(() => trade.GetBilateralTotalsAsync(new EnergyTrade.Trade.V1.GetBilateralTotalsRequest
            {
                Country = "AZ", Partner = "BY",
                FirstMonth = new Google.Type.Date { Year = 2020, Month = 3 }, LastMonth = new Google.Type.Date { Year = 2020, Month = 3 },
            }, Deadline()).ResponseAsync,
            t => t.Exports.ShipmentCount == 25, TimeSpan.FromSeconds(30), "25 shipments in Trade's totals");
        Assert.Equal("2500000", totals.Exports.Barrels.Value.Split('.')[0]);
    }

    [Fact]
    public async Task A_shipment_and_its_event_commit_together_and_a_rejected_call_writes_neither()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("atomic");
        var (_, shipments) = await sut.StartShipmentsAsync();

        var bad = Request(1);
        bad.Shipment.ImporterCountry = "AZ";
        var ex = await Assert.ThrowsAsync<RpcException>(() => shipments.CreateShipmentAsync(bad, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(0, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments"));
        Assert.Equal(0, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));

        var created = await shipments.CreateShipmentAsync(Request(2), Deadline());
        var id = created.Name["shipments/".Length..];
        Assert.Equal(1, await sut.ShipmentsDb.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE shipment_id = '{id}'"));
        Assert.Equal("1", await sut.ShipmentsDb.ScalarAsync<string>($"SELECT payload->'shipment'->>'version' FROM outbox_messages WHERE shipment_id = '{id}'"));
        await Eventually.MatchAsync(() => sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NOT NULL"),
            n => n == 1, TimeSpan.FromSeconds(20), "the relay to mark the event sent");
    }

    [Fact]
    public async Task Racing_retries_with_one_request_id_create_one_shipment_and_one_event()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("race");
        var (_, shipments) = await sut.StartShipmentsAsync();

        var request = Request(3, requestId: Guid.NewGuid().ToString());
        var replies = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => shipments.CreateShipmentAsync(request, Deadline()).ResponseAsync));

        Assert.Single(replies.Select(r => r.Name).Distinct());
        Assert.Equal(1, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments"));
        Assert.Equal(1, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task CreateShipment_is_unavailable_while_its_database_is_unreachable_and_publishes_nothing()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("pgdown");
        var pg = sut.ProxyToPostgres();
        var (_, shipments) = await sut.StartShipmentsAsync(postgresProxy: pg);
        await shipments.CreateShipmentAsync(Request(4), Deadline());
        await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents),
            q => q?.Total == 1, TimeSpan.FromSeconds(20), "the first event in Trade's queue");

        pg.Cut();
        var requestId = Guid.NewGuid().ToString();
        var ex = await Assert.ThrowsAsync<RpcException>(() => shipments.CreateShipmentAsync(Request(5, requestId), Deadline(30)).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.DoesNotContain("   at ", ex.Status.Detail);

        pg.Restore();
        // The client's retry with the same request_id succeeds once the database is back, exactly once.
        var created = await Eventually.MatchAsync(async () => await shipments.CreateShipmentAsync(Request(5, requestId), Deadline()),
            s => s.Version == 1, TimeSpan.FromSeconds(30), "CreateShipment to succeed after the database returned");
        await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents),
            q => q?.Total == 2, TimeSpan.FromSeconds(20), "exactly two events in Trade's queue");
        Assert.Equal(2, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments"));
        Assert.StartsWith("shipments/", created.Name);
    }
}
