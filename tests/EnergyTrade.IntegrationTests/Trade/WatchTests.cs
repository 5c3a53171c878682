using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using EnergyTrade.Types.V1;

namespace EnergyTrade.IntegrationTests.Trade;

/// <summary>
/// Two Trade processes on one database and vhost: B consumes the events, A is a read-only replica
/// (Messaging:ConsumeEvents=false) that never applies anything itself. Whatever A's watches see,
/// they learned from B's commits through PostgreSQL notifications. Every wait is shorter than the
/// 30 s re-check, so a notification that never arrived fails the test rather than being papered over.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WatchTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(20);

    private static GetBilateralTotalsRequest March(string country, string partner, Basis basis = Basis.Unspecified) => new()
    {
        Country = country, Partner = partner, Basis = basis,
        FirstMonth = new Google.Type.Date { Year = 2020, Month = 3 }, LastMonth = new Google.Type.Date { Year = 2020, Month = 3 },
    };

    private static decimal Dec(Google.Type.Decimal d) => decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static async Task<(ServiceUnderTest Sut, TradeReplica ReadOnly)> StartPairAsync(string purpose)
    {
        var sut = await ServiceUnderTest.CreateAsync(purpose);
        try
        {
            await sut.StartTradeAsync();
            var readOnly = await TradeReplica.StartAsync(sut, consumeEvents: false);
            return (sut, readOnly);
        }
        catch
        {
            await sut.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task A_watch_on_one_replica_sees_changes_applied_by_another_and_only_real_changes()
    {
        var (sut, a) = await StartPairAsync("watch");
        await using var _ = sut;
        await using var __ = a;
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);

        await using var azBy = new WatchStream(a.Client, March("AZ", "BY"));
        await using var ruByOrigin = new WatchStream(a.Client, March("RU", "BY", Basis.Origin));
        var initial = await azBy.NextAsync(Prompt, "the current totals at once");
        Assert.Equal(0, initial.Exports.ShipmentCount);
        Assert.Null(initial.UpdateTime);
        Assert.Equal(Basis.Commercial, initial.Basis);
        Assert.Equal(0, (await ruByOrigin.NextAsync(Prompt, "the current origin-basis totals")).Exports.ShipmentCount);

        var russian = RawEvents.Snapshot(Guid.NewGuid(), 1, 580_000m, origin: "RU");
        await raw.PublishAsync(russian);

        var update = await azBy.NextAsync(Prompt, "the Russian cargo, applied by the other replica");
        Assert.Equal(1, update.Exports.ShipmentCount);
        Assert.Equal(580_000m, Dec(update.Exports.Barrels));
        Assert.NotNull(update.UpdateTime);
        var originUpdate = await ruByOrigin.NextAsync(Prompt, "the same cargo as Russia's export on the origin basis");
        Assert.Equal(580_000m, Dec(originUpdate.Exports.Barrels));
        Assert.Equal(Basis.Origin, originUpdate.Basis);

        // A redelivery, and a cargo in April (the pair, but outside the watched range), change nothing
        // the watch shows; the next message must be the next real change.
        await raw.PublishAsync(russian);
        await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, 1_000m, month: 4));
        await Eventually.MatchAsync(() => sut.TradeDb.ScalarAsync<long>("SELECT count(*) FROM applied_shipments WHERE version = 1"),
            n => n == 2, TimeSpan.FromSeconds(30), "the April cargo applied");
        await azBy.AssertNothingWithinAsync(TimeSpan.FromSeconds(2), "nothing in March changed");

        await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, 675_000m));
        var second = await azBy.NextAsync(Prompt, "the Azerbaijani cargo");
        Assert.Equal(2, second.Exports.ShipmentCount);
        Assert.Equal(1_255_000m, Dec(second.Exports.Barrels));
        // Not Russian oil: the origin-basis watch has nothing new to say.
        await ruByOrigin.AssertNothingWithinAsync(TimeSpan.FromSeconds(2), "no Russian oil was added");

        // The read-only replica never attached a consumer: the other replica applied every event.
        var queue = await sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents);
        Assert.Equal(1, queue?.Consumers);
    }

    [Fact]
    public async Task A_watch_recovers_when_the_listening_connection_is_lost()
    {
        var (sut, a) = await StartPairAsync("relisten");
        await using var _ = sut;
        await using var __ = a;
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);
        await using var azBy = new WatchStream(a.Client, March("AZ", "BY"));
        await azBy.NextAsync(Prompt, "the current totals");

        const string listeners = "FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN energytrade_totals_changed'";
        await Eventually.MatchAsync(() => sut.TradeDb.ScalarAsync<long>("SELECT count(*) " + listeners),
            n => n == 2, TimeSpan.FromSeconds(30), "both replicas listening");
        // As a failover or an idle-connection reaper would: notifications sent meanwhile are lost to them.
        await sut.TradeDb.ExecuteAsync("SELECT pg_terminate_backend(pid) " + listeners);
        await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, 580_000m, origin: "RU"));

        var update = await azBy.NextAsync(Prompt, "the cargo applied while the listener was reconnecting");
        Assert.Equal(580_000m, Dec(update.Exports.Barrels));
        await Eventually.MatchAsync(() => sut.TradeDb.ScalarAsync<long>("SELECT count(*) " + listeners),
            n => n == 2, TimeSpan.FromSeconds(30), "both replicas listening again");

        await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, 675_000m));
        var next = await azBy.NextAsync(Prompt, "a cargo notified on the new connection");
        Assert.Equal(1_255_000m, Dec(next.Exports.Barrels));
    }

    [Fact]
    public async Task Shutting_a_replica_down_ends_its_watch_streams_cleanly()
    {
        var (sut, a) = await StartPairAsync("watchstop");
        await using var _ = sut;
        await using var __ = a;
        await using var azBy = new WatchStream(a.Client, March("AZ", "BY"));
        await azBy.NextAsync(Prompt, "the current totals");

        var stopping = a.Process.StopAsync(TimeSpan.FromSeconds(15));
        var status = await azBy.EndAsync(TimeSpan.FromSeconds(15));
        await stopping;

        Assert.Equal(StatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task A_client_that_cancels_its_watch_frees_the_replica()
    {
        var (sut, a) = await StartPairAsync("watchcancel");
        await using var _ = sut;
        await using var __ = a;

        for (var i = 0; i < 20; i++)
        {
            using var cts = new CancellationTokenSource();
            using var call = a.Client.WatchBilateralTotals(March("AZ", "BY"), cancellationToken: cts.Token);
            Assert.True(await call.ResponseStream.MoveNext());
            await cts.CancelAsync();
            var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
            Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        }

        // Still answering, and still able to stop promptly: no abandoned watch holds it up.
        var totals = await a.Client.GetBilateralTotalsAsync(March("AZ", "BY"), ServiceUnderTest.Deadline());
        Assert.Equal(0, totals.Exports.ShipmentCount);
        await a.Process.StopAsync(TimeSpan.FromSeconds(15));
    }
}
