using System.Globalization;
using System.Text.RegularExpressions;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Telemetry;

[Trait("Category", "Integration")]
public sealed partial class MetricsTests
{
    [GeneratedRegex(@"\benergytrade_[a-z0-9_]+")]
    private static partial Regex EnergyTradeMetricName();

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain every one of <paramref name="labels"/>; null when absent.</summary>
    private static double? Sample(string scrape, string metric, params string[] labels)
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (!line.StartsWith(metric, StringComparison.Ordinal)) continue;
            var rest = line[metric.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' ')) continue;
            if (!labels.All(l => rest.Contains(l, StringComparison.Ordinal))) continue;
            var value = rest[(rest.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            return double.Parse(value, CultureInfo.InvariantCulture);
        }
        return null;
    }

    private static async Task<double?> ScrapeAsync(HttpClient http, string metric, params string[] labels) =>
        Sample(await http.GetStringAsync("/metrics"), metric, labels);

    private static CreateShipmentRequest Cargo(int day) => new()
    {
        Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1_000m, Quantity.Types.Unit.Barrels, null, 2020, 3, day, "Supsa"),
    };

    [Fact]
    public async Task The_outbox_backlog_rises_while_RabbitMQ_is_down_and_falls_to_zero_after()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("metrics");
        var rabbit = await sut.ProxyToRabbitMqAsync();
        var (process, shipments) = await sut.StartShipmentsAsync(rabbitProxy: rabbit);
        using var http = new HttpClient { BaseAddress = process.HttpUrl };
        await Eventually.MatchAsync(() => ScrapeAsync(http, "energytrade_outbox_backlog"), n => n == 0, TimeSpan.FromSeconds(20), "a zero backlog at start");
        Assert.Equal(0, await ScrapeAsync(http, "energytrade_outbox_published_total"));

        rabbit.Cut();
        for (var i = 0; i < 12; i++) await shipments.CreateShipmentAsync(Cargo(i + 1), Deadline());
        await Eventually.MatchAsync(() => ScrapeAsync(http, "energytrade_outbox_backlog"), n => n == 12, TimeSpan.FromSeconds(20), "a backlog of 12 while RabbitMQ is down");
        // Seconds, not milliseconds: past one second the age reads above 1 (it read above 1000 in milliseconds).
        await Eventually.MatchAsync(() => ScrapeAsync(http, "energytrade_outbox_oldest_age_seconds"), s => s is > 1 and < 120,
            TimeSpan.FromSeconds(20), "the oldest event's age in seconds");

        rabbit.Restore();
        await Eventually.MatchAsync(() => ScrapeAsync(http, "energytrade_outbox_backlog"), n => n == 0, TimeSpan.FromSeconds(60), "the backlog to fall to zero");
        Assert.Equal(12, await ScrapeAsync(http, "energytrade_outbox_published_total"));
        Assert.Equal(0, await ScrapeAsync(http, "energytrade_outbox_oldest_age_seconds"));
    }

    [Fact]
    public async Task A_Trade_cut_off_from_its_database_reports_the_growing_age_of_the_events_it_holds_and_an_unhealthy_check()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("metrics_stuck");
        var postgres = sut.ProxyToPostgres();
        var (_, shipments) = await sut.StartShipmentsAsync();
        var (trade, tradeClient) = await sut.StartTradeAsync(postgresProxy: postgres);
        using var http = new HttpClient { BaseAddress = trade.HttpUrl };
        await Eventually.MatchAsync(() => ScrapeAsync(http, "energytrade_health_check_status", "check=\"postgresql\"", "status=\"healthy\""),
            v => v == 1, TimeSpan.FromSeconds(30), "the postgresql check reported healthy");
        var scrape = await http.GetStringAsync("/metrics");
        Assert.Equal(0, Sample(scrape, "energytrade_events_oldest_unapplied_age_seconds"));
        Assert.Equal(0, Sample(scrape, "energytrade_events_rejected_total"));

        postgres.Cut();
        await shipments.CreateShipmentAsync(Cargo(1), Deadline());
        // The consumer retries for as long as the database is away; the event stays held and ages.
        await Eventually.MatchAsync(() => ScrapeAsync(http, "energytrade_events_oldest_unapplied_age_seconds"), s => s >= 3,
            TimeSpan.FromSeconds(30), "the held event's age to pass 3 s");
        await Eventually.MatchAsync(() => ScrapeAsync(http, "energytrade_health_check_status", "check=\"postgresql\"", "status=\"unhealthy\""),
            v => v == 1, TimeSpan.FromSeconds(30), "the postgresql check reported unhealthy");
        Assert.Equal(0, await ScrapeAsync(http, "energytrade_health_check_status", "check=\"postgresql\"", "status=\"healthy\""));
        // Sampled through several of the retries' pauses: the event stays held between attempts, not only during them.
        var ages = new List<double?>();
        for (var i = 0; i < 8; i++)
        {
            ages.Add(await ScrapeAsync(http, "energytrade_events_oldest_unapplied_age_seconds"));
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        Assert.True(ages.Zip(ages.Skip(1)).All(p => p.Second > p.First), "the age grows at every sample: " + string.Join(", ", ages));

        postgres.Restore();
        await Eventually.MatchAsync(() => ScrapeAsync(http, "energytrade_events_oldest_unapplied_age_seconds"), s => s == 0,
            TimeSpan.FromSeconds(40), "nothing held once the database is back");
        var totals = await tradeClient.GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY" }, Deadline());
        Assert.Equal(1, totals.Exports.ShipmentCount);
        await Eventually.MatchAsync(() => ScrapeAsync(http, "energytrade_health_check_status", "check=\"postgresql\"", "status=\"healthy\""),
            v => v == 1, TimeSpan.FromSeconds(30), "the postgresql check healthy again");
        // The lag of that event lands in the buckets an alert on minutes can use.
        Assert.Equal(1, await ScrapeAsync(http, "energytrade_events_lag_seconds_bucket", "le=\"1800\""));
    }

    [Fact]
    public async Task A_call_the_rate_limiter_refuses_is_counted_with_its_grpc_status()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("metrics_limited");
        var (process, shipments) = await sut.StartShipmentsAsync(environment: new Dictionary<string, string>
        {
            ["RateLimiting__WritesPerSecond"] = "1",
            ["RateLimiting__WriteBurst"] = "1",
        });
        using var http = new HttpClient { BaseAddress = process.HttpUrl };

        var refused = 0;
        for (var i = 0; i < 5; i++)
        {
            try
            {
                await shipments.CreateShipmentAsync(Cargo(i + 1), Deadline());
            }
            catch (Grpc.Core.RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.ResourceExhausted)
            {
                refused++;
            }
        }
        Assert.True(refused > 0, "the limit of one write a second refused some of five creates in a row");
        // RESOURCE_EXHAUSTED answers HTTP 200 like every gRPC call: only the label tells it apart.
        await Eventually.MatchAsync(
            async () => (await http.GetStringAsync("/metrics")).Split('\n').Count(l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                && l.Contains("ShipmentService/CreateShipment\"") && l.Contains("grpc_status_code=\"8\"")),
            n => n == 1, TimeSpan.FromSeconds(10), "the refused creates counted with grpc_status_code 8");
    }

    [Fact]
    public async Task Every_EnergyTrade_metric_the_alert_rules_and_dashboards_name_is_exported_by_a_service()
    {
        var observability = Path.Combine(ServiceProcess.RepositoryRoot(), "docs", "observability");
        var rules = string.Concat(Directory.GetFiles(observability, "alerts*.yml")
            .Concat(Directory.GetFiles(Path.Combine(observability, "grafana", "dashboards"), "*.json"))
            .Select(File.ReadAllText));
        var named = EnergyTradeMetricName().Matches(rules).Select(m => m.Value).ToHashSet();
        Assert.NotEmpty(named);

        await using var sut = await ServiceUnderTest.CreateAsync("metrics_names");
        var (shipmentsProcess, shipments) = await sut.StartShipmentsAsync();
        var (trade, _) = await sut.StartTradeAsync();
        await shipments.CreateShipmentAsync(Cargo(2), Deadline());
        using var shipmentsHttp = new HttpClient { BaseAddress = shipmentsProcess.HttpUrl };
        using var tradeHttp = new HttpClient { BaseAddress = trade.HttpUrl };
        await Eventually.MatchAsync(() => ScrapeAsync(tradeHttp, "energytrade_events_applied_total"), n => n == 1, TimeSpan.FromSeconds(30), "the shipment applied");
        await Eventually.MatchAsync(() => ScrapeAsync(shipmentsHttp, "energytrade_health_check_status"), v => v is not null, TimeSpan.FromSeconds(30), "a published health report");
        await Eventually.MatchAsync(() => ScrapeAsync(tradeHttp, "energytrade_health_check_status"), v => v is not null, TimeSpan.FromSeconds(30), "a published health report");

        var scrape = await shipmentsHttp.GetStringAsync("/metrics") + await tradeHttp.GetStringAsync("/metrics");
        var exported = EnergyTradeMetricName().Matches(scrape).Select(m => m.Value).ToHashSet();
        Assert.Empty(named.Except(exported).Order());
        // Every gRPC call answers HTTP 200: its own status is a label, next to its method (the route).
        var missing = Guid.NewGuid();
        await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => shipments.GetShipmentAsync(new GetShipmentRequest { Name = $"shipments/{missing}" }, Deadline()).ResponseAsync);
        // The duration is recorded as the request ends on the server, a moment after the client has its answer.
        var calls = await Eventually.MatchAsync(
            async () => (await shipmentsHttp.GetStringAsync("/metrics")).Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)).ToList(),
            lines => lines.Any(l => l.Contains("ShipmentService/GetShipment\"")), TimeSpan.FromSeconds(10), "the failed call's duration");
        Assert.Contains(calls, l => l.Contains("http_route=\"/energytrade.shipments.v1.ShipmentService/CreateShipment\"") && l.Contains("grpc_status_code=\"0\""));
        Assert.True(calls.Any(l => l.Contains("http_route=\"/energytrade.shipments.v1.ShipmentService/GetShipment\"") && l.Contains("grpc_status_code=\"5\"")),
            string.Join("\n", calls));
    }
}
