using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Trade;

[Trait("Category", "Integration")]
public sealed class ConsumerTests
{
    private static Task<BilateralTotals> MarchTotals(TradeService.TradeServiceClient trade, int year = 2020) =>
        trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY",
            FirstMonth = new Google.Type.Date { Year = year, Month = 3 }, LastMonth = new Google.Type.Date { Year = year, Month = 3 },
        }, Deadline()).ResponseAsync;

    private static decimal Dec(Google.Type.Decimal d) => decimal.Parse(d.Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_same_event_delivered_ten_times_counts_once()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("dupes");
        var (_, trade) = await sut.StartTradeAsync();
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);

        var snapshot = RawEvents.Snapshot(Guid.NewGuid(), 1, 637_500m, valueUsd: 25_000_000m);
        var messageId = Guid.NewGuid();
        for (var i = 0; i < 10; i++) await raw.PublishAsync(snapshot, messageId);
        // Same snapshot, new message id: as the outbox re-sends after a crash between publish and marking.
        await raw.PublishAsync(snapshot);
        var sentinel = RawEvents.Snapshot(Guid.NewGuid(), 1, 1m);
        await raw.PublishAsync(sentinel);

        var totals = await Eventually.MatchAsync(() => MarchTotals(trade), t => t.Exports.ShipmentCount >= 2,
            TimeSpan.FromSeconds(30), "the event and the sentinel to be applied");
        await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents),
            q => q?.Total == 0, TimeSpan.FromSeconds(30), "the queue to drain");
        totals = await MarchTotals(trade);

        Assert.Equal(2, totals.Exports.ShipmentCount);
        Assert.Equal(637_501m, Dec(totals.Exports.Barrels));
        Assert.Equal(25_000_000, totals.Exports.Value.Units);
        Assert.Equal(1, totals.Exports.ValuedShipmentCount);
        Assert.Equal(2, await sut.TradeDb.ScalarAsync<long>("SELECT count(*) FROM applied_shipments"));
        Assert.Null(await sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents + "_error"));
    }

    [Fact]
    public async Task Versions_arriving_out_of_order_leave_the_newest_and_a_cancellation_withdraws_it()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("order");
        var (_, trade) = await sut.StartTradeAsync();
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);
        var id = Guid.NewGuid();

        // The buyer's 80 kt (v1) arrives after the seller's 85 kt amendment (v2).
        await raw.PublishAsync(RawEvents.Snapshot(id, 2, 637_500m), kind: ShipmentChangeKind.Updated);
        await raw.PublishAsync(RawEvents.Snapshot(id, 1, 600_000m));
        // The two may be consumed concurrently, so v1 can be applied first and then replaced: wait for
        // v2, then for both messages to be gone, and check that the older one did not win afterwards.
        await Eventually.MatchAsync(() => MarchTotals(trade), t => t.Exports.ShipmentCount == 1 && Dec(t.Exports.Barrels) == 637_500m,
            TimeSpan.FromSeconds(30), "the amendment (v2) to be applied");
        await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents),
            q => q?.Total == 0, TimeSpan.FromSeconds(30), "the queue to drain");
        Assert.Equal(2L, await sut.TradeDb.ScalarAsync<long>($"SELECT version FROM applied_shipments WHERE shipment_id = '{id}'"));
        var totals = await MarchTotals(trade);
        Assert.Equal(1, totals.Exports.ShipmentCount);
        Assert.Equal(637_500m, Dec(totals.Exports.Barrels));
        Assert.Equal(85_000m, Dec(totals.Exports.Tonnes));

        // A move to another month takes the contribution out of March entirely.
        await raw.PublishAsync(RawEvents.Snapshot(id, 3, 637_500m, month: 4), kind: ShipmentChangeKind.Updated);
        await Eventually.MatchAsync(() => MarchTotals(trade), t => t.Exports.ShipmentCount == 0, TimeSpan.FromSeconds(30), "March to be empty");

        await raw.PublishAsync(RawEvents.Snapshot(id, 4, 637_500m, month: 4, state: ShipmentState.Cancelled), kind: ShipmentChangeKind.Cancelled);
        var april = await Eventually.MatchAsync(() => trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
            {
                Country = "AZ", Partner = "BY", FirstMonth = new Google.Type.Date { Year = 2020, Month = 4 },
            }, Deadline()).ResponseAsync,
            t => t.Exports.ShipmentCount == 0 && t.UpdateTime is not null, TimeSpan.FromSeconds(30), "the cancellation to withdraw the cargo");
        Assert.Equal(0m, Dec(april.Exports.Barrels));
        Assert.Empty(april.Exports.ByOrigin);
    }

    [Fact]
    public async Task Poison_messages_end_in_the_error_queue_and_good_traffic_keeps_flowing()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("poison");
        var (_, trade) = await sut.StartTradeAsync();
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);

        await raw.PublishRawAsync("{ this is not json");
        await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, -5m));
        await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, 5m, origin: "XX"));
        await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, 5m, exporter: "BY", importer: "BY"));
        await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, 42m));

        var error = await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents + "_error"),
            q => q?.Total == 4, TimeSpan.FromSeconds(30), "four poison messages in the _error queue");
        // MassTransit declares _error with the arguments of Trade's queue: replicated like it.
        Assert.Equal("quorum", error!.Type);
        Assert.Equal("quorum", (await sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents))!.Type);
        var totals = await Eventually.MatchAsync(() => MarchTotals(trade), t => t.Exports.ShipmentCount == 1,
            TimeSpan.FromSeconds(30), "the good event applied");
        Assert.Equal(42m, Dec(totals.Exports.Barrels));
        Assert.Equal(1, await sut.TradeDb.ScalarAsync<long>("SELECT count(*) FROM applied_shipments WHERE version > 0"));
    }
}
