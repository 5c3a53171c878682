using EnergyTrade.Trade.Totals;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using V1 = EnergyTrade.Trade.V1;
using EnergyTrade.Types.V1;

namespace EnergyTrade.UnitTests.Trade;

/// <summary>The fan-out alone: no connection is ever opened, notifications are handed to Publish directly.</summary>
[Trait("Category", "Unit")]
public sealed class TotalsChangeFeedTests : IDisposable
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create("Host=unused.invalid");
    private readonly TotalsChangeFeed _feed;

    public TotalsChangeFeedTests() => _feed = new TotalsChangeFeed(_dataSource, TimeProvider.System, NullLogger<TotalsChangeFeed>.Instance);

    private TotalsChangeFeed.Subscription Watch(string country, string partner, Basis basis = Basis.Commercial) =>
        _feed.Subscribe(change => change.Touches(country, partner, basis));

    [Fact]
    public async Task Only_watchers_of_a_touched_pair_are_woken()
    {
        using var azBy = Watch("AZ", "BY");
        using var byAz = Watch("BY", "AZ");
        using var kzCn = Watch("KZ", "CN");

        _feed.Publish(TotalsChange.Parse("AZBYKZ"));

        Assert.True(await azBy.WaitAsync(Short, CancellationToken.None));
        Assert.True(await byAz.WaitAsync(Short, CancellationToken.None));
        Assert.False(await kzCn.WaitAsync(Short, CancellationToken.None));
    }

    [Fact]
    public async Task Everything_wakes_every_watcher()
    {
        using var azBy = Watch("AZ", "BY");
        using var kzCn = Watch("KZ", "CN", Basis.Origin);

        _feed.Publish(TotalsChange.Everything);

        Assert.True(await azBy.WaitAsync(Short, CancellationToken.None));
        Assert.True(await kzCn.WaitAsync(Short, CancellationToken.None));
    }

    [Fact]
    public async Task Signals_that_pile_up_while_a_watcher_is_busy_wake_it_once()
    {
        using var azBy = Watch("AZ", "BY");

        for (var i = 0; i < 5; i++) _feed.Publish(TotalsChange.Parse("AZBYAZ"));

        Assert.True(await azBy.WaitAsync(Short, CancellationToken.None));
        Assert.False(await azBy.WaitAsync(Short, CancellationToken.None));
    }

    [Fact]
    public async Task An_unrelated_change_after_a_relevant_one_does_not_hide_it()
    {
        using var azBy = Watch("AZ", "BY");

        _feed.Publish(TotalsChange.Parse("AZBYAZ"));
        _feed.Publish(TotalsChange.Parse("KZCNKZ"));

        Assert.True(await azBy.WaitAsync(Short, CancellationToken.None));
    }

    [Fact]
    public async Task A_disposed_subscription_is_not_woken_and_a_cancelled_wait_answers_false_at_once()
    {
        var azBy = Watch("AZ", "BY");
        azBy.Dispose();
        _feed.Publish(TotalsChange.Everything);
        Assert.False(await azBy.WaitAsync(Short, CancellationToken.None));

        using var other = Watch("AZ", "BY");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        // Cancellation answers false at once, without throwing: every watch ends that way.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(await other.WaitAsync(TimeSpan.FromSeconds(5), cancelled.Token));
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(2));
    }

    public void Dispose()
    {
        _feed.Dispose();
        _dataSource.Dispose();
    }
}
