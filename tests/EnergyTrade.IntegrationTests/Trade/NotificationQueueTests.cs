using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Trade;

/// <summary>
/// PostgreSQL refuses NOTIFY with SQLSTATE 54000 when its notification queue is full (a listener that
/// stopped reading). That says nothing about the event: it must wait and be applied, never go to _error.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NotificationQueueTests
{
    [Fact]
    public async Task A_full_notification_queue_delays_an_event_but_never_sends_it_to_error()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("notifyfull");
        var (first, _) = await sut.StartTradeAsync();
        await first.StopAsync();

        // A full queue on demand: a pg_notify of the test's own, found before pg_catalog's on this
        // database's search path, raising exactly what PostgreSQL raises when the queue is full.
        await sut.TradeDb.ExecuteAsync("""
            CREATE TABLE test_notify_queue (full_queue boolean NOT NULL);
            INSERT INTO test_notify_queue VALUES (true);
            CREATE FUNCTION public.pg_notify(channel text, payload text) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                IF (SELECT full_queue FROM test_notify_queue) THEN
                    RAISE EXCEPTION 'too many notifications in the NOTIFY queue' USING ERRCODE = '54000';
                END IF;
                PERFORM pg_catalog.pg_notify(channel, payload);
            END $$;
            """);
        await sut.TradeDb.ExecuteAsync($"ALTER DATABASE \"{sut.TradeDb.Name}\" SET search_path = public, pg_catalog");
        var (_, trade) = await sut.StartTradeAsync();
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);

        await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, 675_000m));
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.Equal(0, (await MarchAsync(trade)).Exports.ShipmentCount);
        await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents), q => q?.Total == 1,
            TimeSpan.FromSeconds(20), "the event held, unacknowledged, while its apply is retried");
        Assert.Empty((await trade.ListRefusedEventsAsync(new ListRefusedEventsRequest(), Deadline())).RefusedEvents);
        Assert.True(await sut.TradeDb.ScalarAsync<long>("SELECT count(*) FROM applied_shipments WHERE version > 0") == 0);

        // The listeners catch up; the event goes through on its next retry.
        await sut.TradeDb.ExecuteAsync("UPDATE test_notify_queue SET full_queue = false");
        var totals = await Eventually.MatchAsync(() => MarchAsync(trade), t => t.Exports.ShipmentCount == 1,
            TimeSpan.FromSeconds(45), "the event to be applied once the queue drained");

        Assert.Equal(675_000m, decimal.Parse(totals.Exports.Barrels.Value, CultureInfo.InvariantCulture));
        Assert.Null(await sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents + "_error"));
        Assert.Empty((await trade.ListRefusedEventsAsync(new ListRefusedEventsRequest(), Deadline())).RefusedEvents);
    }

    private static Task<BilateralTotals> MarchAsync(TradeService.TradeServiceClient trade) =>
        trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY",
            FirstMonth = new Google.Type.Date { Year = 2020, Month = 3 }, LastMonth = new Google.Type.Date { Year = 2020, Month = 3 },
        }, Deadline()).ResponseAsync;
}
