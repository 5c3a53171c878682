using EnergyTrade.Cli.Grpc;
using Grpc.Core;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class ServerClockTests
{
    private static Metadata Date(DateTimeOffset serverTime) => new() { { "date", serverTime.ToString("r", System.Globalization.CultureInfo.InvariantCulture) } };

    [Fact]
    public void Without_a_date_header_the_clocks_are_taken_to_agree()
    {
        var clock = new ServerClock();
        var now = DateTimeOffset.UtcNow;
        clock.Observe([], now);
        Assert.Equal(now, clock.ToServerTime(now));
    }

    [Fact]
    public void A_server_five_minutes_behind_is_corrected_for_to_within_the_header_resolution()
    {
        var clock = new ServerClock();
        var client = new DateTimeOffset(2026, 1, 1, 12, 0, 0, 400, TimeSpan.Zero);
        var server = client.AddMinutes(-5);
        clock.Observe(Date(server), client);

        var estimate = clock.ToServerTime(client);
        Assert.True(estimate <= server, "the estimate must never be later than the server's true time");
        Assert.True(server - estimate < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void The_tightest_lower_bound_wins()
    {
        var clock = new ServerClock();
        var t = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        clock.Observe(Date(t.AddSeconds(-2)), t);
        clock.Observe(Date(t.AddSeconds(1)), t.AddSeconds(1));
        Assert.Equal(TimeSpan.Zero, clock.Offset);
    }
}
