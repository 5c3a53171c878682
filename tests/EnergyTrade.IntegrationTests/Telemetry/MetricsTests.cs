using System.Text.RegularExpressions;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Telemetry;

[Trait("Category", "Integration")]
public sealed partial class MetricsTests
{
    [GeneratedRegex(@"^energytrade_outbox_backlog(?:\{[^}]*\})? (\d+)", RegexOptions.Multiline)]
    private static partial Regex Backlog();

    private static async Task<long> ScrapeBacklogAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        var match = Backlog().Match(text);
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    [Fact]
    public async Task The_outbox_backlog_rises_while_RabbitMQ_is_down_and_falls_to_zero_after()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("metrics");
        var rabbit = await sut.ProxyToRabbitMqAsync();
        var (process, shipments) = await sut.StartShipmentsAsync(rabbitProxy: rabbit);
        using var http = new HttpClient { BaseAddress = process.HttpUrl };
        await Eventually.MatchAsync(() => ScrapeBacklogAsync(http), n => n == 0, TimeSpan.FromSeconds(20), "a zero backlog at start");

        rabbit.Cut();
        for (var i = 0; i < 12; i++)
        {
            await shipments.CreateShipmentAsync(new CreateShipmentRequest
            {
                Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1_000m, Quantity.Types.Unit.Barrels, null, 2020, 3, i + 1, "Supsa"),
            }, Deadline());
        }
        await Eventually.MatchAsync(() => ScrapeBacklogAsync(http), n => n == 12, TimeSpan.FromSeconds(20), "a backlog of 12 while RabbitMQ is down");
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Matches(@"energytrade_outbox_oldest_age_milliseconds(?:\{[^}]*\})? [1-9]", metrics);

        rabbit.Restore();
        await Eventually.MatchAsync(() => ScrapeBacklogAsync(http), n => n == 0, TimeSpan.FromSeconds(60), "the backlog to fall to zero");
        Assert.Matches(@"energytrade_outbox_published_total(?:\{[^}]*\})? 12", await http.GetStringAsync("/metrics"));
    }
}
