using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;
using EnergyTrade.Types.V1;

namespace EnergyTrade.IntegrationTests.Trade;

/// <summary>
/// GetBilateralTotals, CompareBilateralTotals and WatchBilateralTotals answer from a cache that only
/// PostgreSQL notifications invalidate. Every Trade here keeps answers for ten minutes, so within a
/// test only a notification can refresh one: a missed or too narrow invalidation shows as a stale
/// figure, not as a short delay. Each test first proves the answers really come from memory, by
/// changing bilateral_totals behind Trade's back and seeing the answer stay as it was.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TotalsCacheTests
{
    /// <summary>Far beyond any wait below: the age limit must not be what refreshes an answer.</summary>
    private static readonly IReadOnlyDictionary<string, string> LongLivedCache = new Dictionary<string, string>
    {
        ["TotalsCache__MaxAge"] = "00:10:00",
    };

    /// <summary>How long a committed change may take to show: the notification's own delay, nothing more.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private const string Listeners =
        "FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle' AND query = 'LISTEN energytrade_totals_changed'";

    private static GetBilateralTotalsRequest Range(string country, string partner, int year, int first, int last, Basis basis = Basis.Unspecified) => new()
    {
        Country = country, Partner = partner, Basis = basis,
        FirstMonth = new Google.Type.Date { Year = year, Month = first }, LastMonth = new Google.Type.Date { Year = year, Month = last },
    };

    private static GetBilateralTotalsRequest Month(string country, string partner, int year, int month, Basis basis = Basis.Unspecified) =>
        Range(country, partner, year, month, month, basis);

    private static CompareBilateralTotalsRequest Compare(string country, string partner, int year, int month) => new()
    {
        Country = country, Partner = partner,
        FirstMonth = new Google.Type.Date { Year = year, Month = month }, LastMonth = new Google.Type.Date { Year = year, Month = month },
    };

    private static Task<BilateralTotals> Read(TradeService.TradeServiceClient trade, GetBilateralTotalsRequest request) =>
        trade.GetBilateralTotalsAsync(request, Deadline()).ResponseAsync;

    private static decimal Dec(Google.Type.Decimal? d) => d is null ? 0 : decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static decimal Usd(Google.Type.Money? m) => m is null ? 0 : m.Units + m.Nanos / 1_000_000_000m;

    private static string Figures(BilateralTotals t) =>
        $"exports {t.Exports.ShipmentCount} / {Dec(t.Exports.Barrels)} bbl [{string.Join(' ', t.Exports.ByOrigin.Select(o => $"{o.OriginCountry}:{Dec(o.Barrels)}"))}], " +
        $"imports {t.Imports.ShipmentCount} / {Dec(t.Imports.Barrels)} bbl";

    private static bool Exports(BilateralTotals t, long count, decimal barrels) =>
        t.Exports.ShipmentCount == count && Dec(t.Exports.Barrels) == barrels;

    /// <summary>Polls until the answer shows the expected exports; a timeout reports the answer last seen.</summary>
    private static Task<BilateralTotals> ShowsAsync(TradeService.TradeServiceClient trade, GetBilateralTotalsRequest request,
        long count, decimal barrels, string what) =>
        Eventually.MatchAsync(() => Read(trade, request), t => Exports(t, count, barrels), Prompt, what);

    private static Task AppliedAsync(ServiceUnderTest sut, Guid shipmentId, long version) =>
        Eventually.MatchAsync(() => sut.TradeDb.ScalarAsync<long>(
                $"SELECT count(*) FROM applied_shipments WHERE shipment_id = '{shipmentId}' AND version = {version}"),
            n => n == 1, TimeSpan.FromSeconds(30), $"version {version} of {shipmentId} committed");

    private static Task ListeningAsync(ServiceUnderTest sut, int replicas) =>
        Eventually.MatchAsync(() => sut.TradeDb.ScalarAsync<long>("SELECT count(*) " + Listeners),
            n => n == replicas, TimeSpan.FromSeconds(30), $"{replicas} Trade replica(s) listening for totals changes");

    /// <summary>
    /// Changes the stored barrels of the rows <paramref name="where"/> selects without a notification
    /// and checks the answer does not move, which only a cached answer can do; then puts them back.
    /// A notification still on its way for an earlier commit may drop the answer once, hence the retries;
    /// an answer read from the database every time fails them all.
    /// </summary>
    private static async Task AssertServedFromMemoryAsync<T>(ServiceUnderTest sut, Func<Task<T>> observe, string where, string what)
    {
        T before = default!, during = default!;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            before = await observe();
            await sut.TradeDb.ExecuteAsync($"UPDATE bilateral_totals SET barrels = barrels + 1 WHERE {where}");
            try
            {
                during = await observe();
            }
            finally
            {
                await sut.TradeDb.ExecuteAsync($"UPDATE bilateral_totals SET barrels = barrels - 1 WHERE {where}");
            }
            if (EqualityComparer<T>.Default.Equals(before, during)) return;
        }
        throw new Xunit.Sdk.XunitException($"{what} was read from the database again ({before} became {during}), not answered from the cache");
    }

    /// <summary>
    /// Seeing a commit in the database does not mean Trade has had its notification yet; one arriving
    /// late would drop an answer cached after it. Waited out before caching what a test relies on.
    /// </summary>
    private static Task SettleAsync() => Task.Delay(TimeSpan.FromMilliseconds(500));

    private static (string Origin, decimal Barrels)[] Origins(FlowTotals flow) =>
        flow.ByOrigin.Select(o => (o.OriginCountry, Dec(o.Barrels))).ToArray();

    [Fact]
    public async Task A_change_refreshes_the_cached_totals_of_its_month_at_once_and_leaves_other_months_cached()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("cachemonth");
        var (_, trade) = await sut.StartTradeAsync(LongLivedCache);
        await ListeningAsync(sut, 1);
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);

        var march = RawEvents.Snapshot(Guid.NewGuid(), 1, 100_000m, month: 3);
        var april = RawEvents.Snapshot(Guid.NewGuid(), 1, 50_000m, month: 4);
        await raw.PublishAsync(march);
        await raw.PublishAsync(april);
        await AppliedAsync(sut, march.ShipmentId, 1);
        await AppliedAsync(sut, april.ShipmentId, 1);
        await SettleAsync();

        // Cached: March both ways round, April on its own, and the whole year.
        var azByMarch = Month("AZ", "BY", 2020, 3);
        var byAzMarch = Month("BY", "AZ", 2020, 3);
        var azByApril = Month("AZ", "BY", 2020, 4);
        var azByYear = Range("AZ", "BY", 2020, 1, 12);
        Assert.True(Exports(await Read(trade, azByMarch), 1, 100_000m));
        Assert.Equal(100_000m, Dec((await Read(trade, byAzMarch)).Imports.Barrels));
        Assert.True(Exports(await Read(trade, azByApril), 1, 50_000m));
        Assert.True(Exports(await Read(trade, azByYear), 2, 150_000m));
        await AssertServedFromMemoryAsync(sut, async () => Dec((await Read(trade, azByMarch)).Exports.Barrels), "month = '2020-03-01'", "AZ-BY March");

        // April's row is changed behind Trade's back and left so: if a March change dropped April's
        // answer too, the next read would fetch the altered figure.
        await sut.TradeDb.ExecuteAsync("UPDATE bilateral_totals SET barrels = barrels + 1 WHERE month = '2020-04-01'");

        var more = RawEvents.Snapshot(Guid.NewGuid(), 1, 25_000m, origin: "RU", month: 3);
        await raw.PublishAsync(more);
        await AppliedAsync(sut, more.ShipmentId, 1);

        var updated = await ShowsAsync(trade, azByMarch, 2, 125_000m, "AZ-BY March with the new cargo");
        Assert.Equal(new[] { ("AZ", 100_000m), ("RU", 25_000m) }, Origins(updated.Exports));
        Assert.Equal(13_333.333m + 3_333.333m, Dec(updated.Exports.Tonnes));
        var reversed = await Eventually.MatchAsync(() => Read(trade, byAzMarch), t => t.Imports.ShipmentCount == 2, Prompt, "BY-AZ March with the new cargo");
        Assert.Equal(125_000m, Dec(reversed.Imports.Barrels));
        Assert.Equal(0, reversed.Exports.ShipmentCount);

        // April was kept: a fresh read would have returned the altered row.
        var aprilAgain = await Read(trade, azByApril);
        Assert.True(Exports(aprilAgain, 1, 50_000m), $"April after a March change: {Figures(aprilAgain)}");
        // The year takes in March, so it was dropped and read afresh — altered April row included.
        var year = await Read(trade, azByYear);
        Assert.True(Exports(year, 3, 175_001m), $"2020 after a March change: {Figures(year)}");
    }

    [Fact]
    public async Task A_read_only_replica_drops_its_cached_totals_when_another_replica_applies_a_change()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("cachereplica");
        var (_, consumer) = await sut.StartTradeAsync(LongLivedCache);
        await using var replica = await TradeReplica.StartAsync(sut, consumeEvents: false, LongLivedCache);
        await ListeningAsync(sut, 2);
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);

        var first = RawEvents.Snapshot(Guid.NewGuid(), 1, 100_000m);
        await raw.PublishAsync(first);
        await AppliedAsync(sut, first.ShipmentId, 1);
        await SettleAsync();

        var azBy = Month("AZ", "BY", 2020, 3);
        var ruByOrigin = Month("RU", "BY", 2020, 3, Basis.Origin);
        Assert.True(Exports(await Read(replica.Client, azBy), 1, 100_000m));
        Assert.True(Exports(await Read(replica.Client, ruByOrigin), 0, 0m));
        await AssertServedFromMemoryAsync(sut, async () => Dec((await Read(replica.Client, azBy)).Exports.Barrels), "month = '2020-03-01'", "the replica's AZ-BY March");

        // Applied by the consumer: the replica learns of it only from PostgreSQL's notification.
        var russian = RawEvents.Snapshot(Guid.NewGuid(), 1, 580_000m, origin: "RU");
        await raw.PublishAsync(russian);
        await AppliedAsync(sut, russian.ShipmentId, 1);

        await ShowsAsync(replica.Client, azBy, 2, 680_000m, "the replica's AZ-BY March with the Russian cargo");
        var byOrigin = await ShowsAsync(replica.Client, ruByOrigin, 1, 580_000m, "the replica's origin-basis RU-BY March");
        Assert.Equal(Basis.Origin, byOrigin.Basis);
        Assert.True(Exports(await Read(consumer, azBy), 2, 680_000m));

        var queue = await sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents);
        Assert.Equal(1, queue?.Consumers);
    }

    [Fact]
    public async Task CompareBilateralTotals_reflects_a_change_to_either_of_its_periods()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("cachecompare");
        var (_, trade) = await sut.StartTradeAsync(LongLivedCache);
        await ListeningAsync(sut, 1);
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);

        var current = RawEvents.Snapshot(Guid.NewGuid(), 1, 100_000m, year: 2020, valueUsd: 6_000_000m);
        var previous = RawEvents.Snapshot(Guid.NewGuid(), 1, 80_000m, year: 2019, valueUsd: 4_000_000m);
        await raw.PublishAsync(current);
        await raw.PublishAsync(previous);
        await AppliedAsync(sut, current.ShipmentId, 1);
        await AppliedAsync(sut, previous.ShipmentId, 1);
        await SettleAsync();

        var request = Compare("AZ", "BY", 2020, 3);
        Task<BilateralComparison> Comparison() => trade.CompareBilateralTotalsAsync(request, Deadline()).ResponseAsync;
        var before = await Comparison();
        Assert.Equal(100_000m, Dec(before.Current.Exports.Barrels));
        Assert.Equal(80_000m, Dec(before.Previous.Exports.Barrels));
        Assert.Equal(20_000m, Dec(before.ExportsBarrels.Absolute));
        // The previous period is the very answer GetBilateralTotals caches for that month.
        Assert.True(Exports(await Read(trade, Month("AZ", "BY", 2019, 3)), 1, 80_000m));
        await AssertServedFromMemoryAsync(sut, async () =>
            {
                var c = await Comparison();
                return (Dec(c.Current.Exports.Barrels), Dec(c.Previous.Exports.Barrels));
            },
            "month IN ('2020-03-01', '2019-03-01')", "the comparison");

        var now = RawEvents.Snapshot(Guid.NewGuid(), 1, 20_000m, year: 2020, valueUsd: 1_500_000m);
        await raw.PublishAsync(now);
        await AppliedAsync(sut, now.ShipmentId, 1);
        var afterCurrent = await Eventually.MatchAsync(Comparison, c => c.Current.Exports.ShipmentCount == 2, Prompt, "the comparison's current period with the new cargo");
        Assert.Equal(120_000m, Dec(afterCurrent.Current.Exports.Barrels));
        Assert.Equal(7_500_000m, Usd(afterCurrent.Current.Exports.Value));
        Assert.Equal(80_000m, Dec(afterCurrent.Previous.Exports.Barrels));
        Assert.Equal(40_000m, Dec(afterCurrent.ExportsBarrels.Absolute));
        Assert.Equal(50m, Dec(afterCurrent.ExportsBarrels.Percent));

        var then = RawEvents.Snapshot(Guid.NewGuid(), 1, 10_000m, year: 2019, valueUsd: 500_000m);
        await raw.PublishAsync(then);
        await AppliedAsync(sut, then.ShipmentId, 1);
        var afterPrevious = await Eventually.MatchAsync(Comparison, c => c.Previous.Exports.ShipmentCount == 2, Prompt, "the comparison's previous period with the new cargo");
        Assert.Equal(90_000m, Dec(afterPrevious.Previous.Exports.Barrels));
        Assert.Equal(4_500_000m, Usd(afterPrevious.Previous.Exports.Value));
        Assert.Equal(120_000m, Dec(afterPrevious.Current.Exports.Barrels));
        Assert.Equal(30_000m, Dec(afterPrevious.ExportsBarrels.Absolute));
        Assert.Equal(3_000_000m, Dec(afterPrevious.ExportsValue.Absolute));
        Assert.True(Exports(await Read(trade, Month("AZ", "BY", 2019, 3)), 2, 90_000m));
    }

    [Fact]
    public async Task Amended_and_cancelled_versions_of_a_shipment_are_reflected_exactly_by_cached_reads()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("cacheamend");
        var (_, trade) = await sut.StartTradeAsync(LongLivedCache);
        await ListeningAsync(sut, 1);
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);

        // A neighbour that never changes, so "empty" below cannot come from reading nothing at all.
        var neighbour = RawEvents.Snapshot(Guid.NewGuid(), 1, 1_000m, month: 5);
        var id = Guid.NewGuid();
        await raw.PublishAsync(neighbour);
        await raw.PublishAsync(RawEvents.Snapshot(id, 1, 100_000m, month: 3, valueUsd: 5_000_000m));
        await AppliedAsync(sut, neighbour.ShipmentId, 1);
        await AppliedAsync(sut, id, 1);
        await SettleAsync();

        var march = Month("AZ", "BY", 2020, 3);
        var april = Month("AZ", "BY", 2020, 4);
        var year = Range("AZ", "BY", 2020, 1, 12);
        var azOrigin = Month("AZ", "BY", 2020, 3, Basis.Origin);
        var kzOrigin = Range("KZ", "BY", 2020, 1, 12, Basis.Origin);
        Assert.True(Exports(await Read(trade, march), 1, 100_000m));
        Assert.True(Exports(await Read(trade, april), 0, 0m));
        Assert.True(Exports(await Read(trade, year), 2, 101_000m));
        Assert.True(Exports(await Read(trade, azOrigin), 1, 100_000m));
        Assert.True(Exports(await Read(trade, kzOrigin), 0, 0m));
        await AssertServedFromMemoryAsync(sut, async () => Dec((await Read(trade, year)).Exports.Barrels), "month = '2020-03-01'", "AZ-BY 2020");

        // v2: more oil, and Kazakh after all. Commercially still AZ-BY March; by origin it moves from AZ to KZ.
        await raw.PublishAsync(RawEvents.Snapshot(id, 2, 120_000m, origin: "KZ", month: 3, valueUsd: 6_000_000m), kind: ShipmentChangeKind.Updated);
        await AppliedAsync(sut, id, 2);
        var amended = await ShowsAsync(trade, march, 1, 120_000m, "March with the amended quantity");
        Assert.Equal("KZ", Assert.Single(amended.Exports.ByOrigin).OriginCountry);
        Assert.Equal(6_000_000m, Usd(amended.Exports.Value));
        Assert.Equal(16_000m, Dec(amended.Exports.Tonnes));
        await ShowsAsync(trade, azOrigin, 0, 0m, "Azerbaijani oil in March gone");
        await ShowsAsync(trade, kzOrigin, 1, 120_000m, "Kazakh oil to Belarus in 2020");
        await ShowsAsync(trade, year, 2, 121_000m, "2020 with the amended quantity");

        // v3: loaded in April instead.
        await raw.PublishAsync(RawEvents.Snapshot(id, 3, 120_000m, origin: "KZ", month: 4, valueUsd: 6_000_000m), kind: ShipmentChangeKind.Updated);
        await AppliedAsync(sut, id, 3);
        var emptied = await ShowsAsync(trade, march, 0, 0m, "March without the moved cargo");
        Assert.Empty(emptied.Exports.ByOrigin);
        Assert.Equal(0m, Usd(emptied.Exports.Value));
        await ShowsAsync(trade, april, 1, 120_000m, "April with the moved cargo");
        var whole = await Read(trade, year);
        Assert.True(Exports(whole, 2, 121_000m), Figures(whole));

        // v4: cancelled, so counted nowhere.
        await raw.PublishAsync(RawEvents.Snapshot(id, 4, 120_000m, origin: "KZ", month: 4, valueUsd: 6_000_000m, state: ShipmentState.Cancelled),
            kind: ShipmentChangeKind.Cancelled);
        await AppliedAsync(sut, id, 4);
        var cancelled = await ShowsAsync(trade, april, 0, 0m, "April without the cancelled cargo");
        Assert.Empty(cancelled.Exports.ByOrigin);
        Assert.Equal(0m, Dec(cancelled.Exports.Tonnes));
        Assert.Equal(0, cancelled.Exports.ValuedShipmentCount);
        await ShowsAsync(trade, kzOrigin, 0, 0m, "no Kazakh oil to Belarus in 2020");
        var remaining = await ShowsAsync(trade, year, 1, 1_000m, "2020 with only the neighbour left");
        Assert.Equal(new[] { ("AZ", 1_000m) }, Origins(remaining.Exports));
        Assert.True(Exports(await Read(trade, march), 0, 0m));
    }
}
