using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EnergyTrade.Contracts;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;
using EnergyTrade.Types.V1;

namespace EnergyTrade.IntegrationTests.Trade;

/// <summary>
/// Nothing parked in silence: whatever Trade moves to its _error queue is listed with the reason,
/// counted by a metric and degrades readiness, until the version is applied — by a newer version,
/// or by re-driving _error once the cause is fixed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RefusedEventsTests
{
    private const string ErrorQueue = QueueNames.TradeShipmentEvents + "_error";

    [Fact]
    public async Task A_forged_snapshot_is_listed_with_its_reason_and_degrades_readiness_until_a_newer_version_is_applied()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("refused");
        var (process, trade) = await sut.StartTradeAsync();
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);
        var id = Guid.NewGuid();

        // Barrels that do not match the quantity: only a forged or corrupted message carries that.
        await raw.PublishAsync(RawEvents.Snapshot(id, 1, 580_000m) with { Barrels = 1m });

        var refused = await Eventually.MatchAsync(() => ListAsync(trade), r => r.Count == 1, TimeSpan.FromSeconds(30), "the refusal to be listed");
        var r = refused[0];
        Assert.Equal($"shipments/{id}", r.Shipment);
        Assert.Equal(1, r.Version);
        Assert.Equal(("AZ", "BY", "AZ"), (r.ExporterCountry, r.ImporterCountry, r.OriginCountry));
        Assert.Equal(new Google.Type.Date { Year = 2020, Month = 3 }, r.Month);
        Assert.Contains("Barrels", r.Reason, StringComparison.Ordinal);
        Assert.Contains("does not match the quantity", r.Reason, StringComparison.Ordinal);
        await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(ErrorQueue), q => q?.Total == 1, TimeSpan.FromSeconds(30), "the message in _error");
        Assert.Equal("Degraded", await ReadinessAsync(process));
        Assert.Matches(@"energytrade_events_rejected_total(?:\{[^}]*\})? 1\b", await MetricsAsync(process));

        // The correction Shipments would publish: a newer, sound version replaces it and clears the refusal.
        await raw.PublishAsync(RawEvents.Snapshot(id, 2, 580_000m), kind: ShipmentChangeKind.Updated);

        await Eventually.MatchAsync(() => ListAsync(trade), l => l.Count == 0, TimeSpan.FromSeconds(30), "the refusal to clear");
        Assert.Equal("Healthy", await ReadinessAsync(process));
        var totals = await MarchTotalsAsync(trade);
        Assert.Equal((1, 580_000m), (totals.Exports.ShipmentCount, Dec(totals.Exports.Barrels)));
    }

    [Fact]
    public async Task A_failure_fixed_later_is_recovered_by_re_driving_the_error_queue()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("redrive");
        var (process, trade) = await sut.StartTradeAsync();
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);

        // A future bug, stood in for by a constraint that refuses Kazakh oil: the event is sound,
        // the apply fails after its retries, and the message lands in _error.
        await sut.TradeDb.ExecuteAsync("ALTER TABLE bilateral_totals ADD CONSTRAINT test_no_kz CHECK (origin_country <> 'KZ')");
        var id = Guid.NewGuid();
        await raw.PublishAsync(RawEvents.Snapshot(id, 1, 1_200_000m, origin: "KZ"));
        await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, 700_000m, origin: "AZ"));

        var refused = await Eventually.MatchAsync(() => ListAsync(trade), r => r.Count == 1, TimeSpan.FromSeconds(60), "the refusal to be listed");
        Assert.Equal($"shipments/{id}", refused[0].Shipment);
        Assert.Contains("test_no_kz", refused[0].Reason, StringComparison.Ordinal);
        Assert.Equal("Degraded", await ReadinessAsync(process));
        Assert.Equal(700_000m, Dec((await MarchTotalsAsync(trade)).Exports.Barrels));

        // The fix is deployed; the operator re-drives _error as docs/reliability.md says.
        await sut.TradeDb.ExecuteAsync("ALTER TABLE bilateral_totals DROP CONSTRAINT test_no_kz");
        var (exit, output) = await RedriveAsync(sut.VirtualHost.Name);
        Assert.True(exit == 0, output);
        Assert.Contains("re-drove the messages", output, StringComparison.Ordinal);

        var totals = await Eventually.MatchAsync(() => MarchTotalsAsync(trade), t => t.Exports.ShipmentCount == 2,
            TimeSpan.FromSeconds(30), "the re-driven event to be applied");
        Assert.Equal(1_900_000m, Dec(totals.Exports.Barrels));
        Assert.Empty(await ListAsync(trade));
        await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(ErrorQueue), q => q?.Total == 0, TimeSpan.FromSeconds(30), "_error to be empty");
        Assert.Equal("Healthy", await ReadinessAsync(process));
    }

    [Fact]
    public async Task An_unreadable_message_is_listed_and_only_an_admin_may_dismiss_it()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("unreadable");
        var (process, trade) = await sut.StartTradeAsync();
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);
        var messageId = Guid.NewGuid();

        await raw.PublishRawAsync("{ this is not json", messageId.ToString());

        var refused = await Eventually.MatchAsync(() => ListAsync(trade), r => r.Count == 1, TimeSpan.FromSeconds(30), "the refusal to be listed");
        Assert.Equal((messageId.ToString(), ""), (refused[0].MessageId, refused[0].Shipment));
        Assert.Equal("Degraded", await ReadinessAsync(process));

        using var readerChannel = TestAuth.Channel(process.GrpcUrl, TestAuth.Token(["trade:read"]));
        var denied = await Assert.ThrowsAsync<RpcException>(() => new TradeService.TradeServiceClient(readerChannel)
            .DismissRefusedEventsAsync(new DismissRefusedEventsRequest { MessageId = messageId.ToString() }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        var dismissed = await trade.DismissRefusedEventsAsync(new DismissRefusedEventsRequest { MessageId = messageId.ToString() }, Deadline());
        Assert.Equal(1, dismissed.DismissedCount);
        Assert.Empty(await ListAsync(trade));
        Assert.Equal("Healthy", await ReadinessAsync(process));
    }

    private static async Task<List<RefusedEvent>> ListAsync(TradeService.TradeServiceClient trade) =>
        [.. (await trade.ListRefusedEventsAsync(new ListRefusedEventsRequest(), Deadline())).RefusedEvents];

    private static Task<BilateralTotals> MarchTotalsAsync(TradeService.TradeServiceClient trade) =>
        trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY", Basis = Basis.Commercial,
            FirstMonth = new Google.Type.Date { Year = 2020, Month = 3 }, LastMonth = new Google.Type.Date { Year = 2020, Month = 3 },
        }, Deadline()).ResponseAsync;

    private static async Task<string> ReadinessAsync(ServiceProcess process)
    {
        using var http = new HttpClient { BaseAddress = process.HttpUrl };
        using var response = await http.GetAsync("/health/ready");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("status").GetString()!;
    }

    private static async Task<string> MetricsAsync(ServiceProcess process)
    {
        using var http = new HttpClient { BaseAddress = process.HttpUrl };
        return await http.GetStringAsync("/metrics");
    }

    /// <summary>Runs scripts/redrive-errors.sh against the test broker, as an operator would.</summary>
    private static async Task<(int ExitCode, string Output)> RedriveAsync(string vhost)
    {
        var infra = await TestInfrastructure.GetAsync();
        var credentials = infra.RabbitMq.UserInfo.Split(':', 2);
        var start = new ProcessStartInfo("bash", [Path.Combine(ServiceProcess.RepositoryRoot(), "scripts", "redrive-errors.sh"),
            "--management", infra.RabbitMqManagement.ToString().TrimEnd('/'), "--vhost", vhost, "--timeout", "60"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["RABBITMQ_USER"] = Uri.UnescapeDataString(credentials[0]),
                ["RABBITMQ_PASSWORD"] = Uri.UnescapeDataString(credentials.Length > 1 ? credentials[1] : ""),
            },
        };
        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();
        return (script.ExitCode, await stdout + await stderr);
    }

    private static decimal Dec(Google.Type.Decimal d) => decimal.Parse(d.Value, CultureInfo.InvariantCulture);
}
