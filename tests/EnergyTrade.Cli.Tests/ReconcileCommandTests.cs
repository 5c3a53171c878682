using System.Text.Json;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Tests;

/// <summary>reconcile: the Reconciler's report through the CLI, against a fake Shipments and Trade holding the seed.</summary>
[Trait("Category", "Unit")]
public sealed class ReconcileCommandTests
{
    /// <summary>Both services agree on the seed; <paramref name="trade"/> may change what Trade answers.</summary>
    private static CliRun WithSeed(Action<BilateralTotals>? totals = null, Action<TradeSeries>? series = null)
    {
        var run = new CliRun();
        run.Server.On<SummarizeShipmentsRequest, ShipmentSummary>(Replies.Summarize, _ => Replies.SeedSummary());
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ =>
        {
            var answer = Replies.SeedTotals();
            totals?.Invoke(answer);
            return answer;
        });
        run.Server.On<GetTradeSeriesRequest, TradeSeries>(Replies.Series, r =>
        {
            var answer = Replies.SeedSeries(r);
            series?.Invoke(answer);
            return answer;
        });
        run.Server.On<ListRefusedEventsRequest, ListRefusedEventsResponse>(Replies.RefusedEvents, _ => new ListRefusedEventsResponse());
        return run;
    }

    /// <summary>Trade still holds the Urals cargo as it was before the amendment to 85,000 t at 7.5 bbl/t.</summary>
    private static void UralsNotYetAmended(BilateralTotals totals) => totals.Exports.Barrels = ProtoValues.Decimal(3_772_500.000m);

    private static void UralsNotYetAmended(TradeSeries series) => series.Months[2].Exports.Barrels = ProtoValues.Decimal(1_197_500.000m);

    [Fact]
    public async Task Agreement_is_one_sentence_and_exit_code_zero()
    {
        var run = WithSeed();

        Assert.Equal(0, await run.RunAsync("reconcile", "az", "by", "--from", "2020-01", "--to", "2020-04"));

        Assert.Equal("AZ–BY, 2020-01 to 2020-04, commercial basis (exporter = the seller's country): Trade agrees with Shipments.", run.Out.ToString().Trim());
        var summary = (SummarizeShipmentsRequest)run.Server.CallsTo(Replies.Summarize).Single().Request;
        Assert.Equal(("AZ", "BY", EnergyTrade.Types.V1.Basis.Commercial, 1, 4), (summary.Country, summary.Partner, summary.Basis, summary.FirstMonth.Month, summary.LastMonth.Month));
        Assert.Single(run.Server.CallsTo(Replies.Series));
    }

    [Fact]
    public async Task Every_differing_figure_is_listed_with_both_sides_and_exit_code_one()
    {
        var run = WithSeed(UralsNotYetAmended, UralsNotYetAmended);

        Assert.Equal(1, await run.RunAsync("reconcile", "AZ", "BY", "--from", "2020-01", "--to", "2020-04"));

        var text = run.Out.ToString();
        Assert.Contains("AZ–BY, 2020-01 to 2020-04, commercial basis (exporter = the seller's country): Trade differs from Shipments in 2 figures.", text);
        Assert.Matches(@"Period\s+│ Direction │ Measure │\s+Shipments │\s+Trade │ Trade − Shipments │", text);
        Assert.Matches(@"2020-01 to 2020-04 \(whole range\) │ AZ → BY\s+│ barrels\s+│ 3,830,000 bbl │ 3,772,500 bbl │\s+-57,500 bbl │", text);
        Assert.Matches(@"2020-03\s+│ AZ → BY\s+│ barrels\s+│ 1,255,000 bbl │ 1,197,500 bbl │\s+-57,500 bbl │", text);
        Assert.Contains("Trade differs from Shipments in 2 figures. Trade applies changes asynchronously", run.Error.ToString());
        Assert.Contains("--wait 60", run.Error.ToString());
    }

    [Fact]
    public async Task Counts_and_values_are_formatted_by_measure()
    {
        var run = WithSeed(t =>
        {
            t.Exports.ShipmentCount = 6;
            t.Exports.Value = ProtoValues.Money(25_000_000m);
        });

        Assert.Equal(1, await run.RunAsync("reconcile", "AZ", "BY"));

        var text = run.Out.ToString();
        Assert.Matches(@"all months\s+│ AZ → BY\s+│ shipments\s+│\s+5 │\s+6 │\s+\+1 │", text);
        Assert.Matches(@"all months\s+│ AZ → BY\s+│ value\s+│\s+0.00 USD │ 25,000,000.00 USD │ \+25,000,000.00 USD │", text);
    }

    [Fact]
    public async Task Both_bases_are_checked_in_turn()
    {
        var run = WithSeed();

        Assert.Equal(0, await run.RunAsync("reconcile", "AZ", "BY", "--basis", "both"));

        Assert.Equal([EnergyTrade.Types.V1.Basis.Commercial, EnergyTrade.Types.V1.Basis.Origin],
            run.Server.CallsTo(Replies.Summarize).Select(c => ((SummarizeShipmentsRequest)c.Request).Basis));
        Assert.Equal([EnergyTrade.Types.V1.Basis.Commercial, EnergyTrade.Types.V1.Basis.Origin],
            run.Server.CallsTo(Replies.Totals).Select(c => ((GetBilateralTotalsRequest)c.Request).Basis));
        var text = run.Out.ToString();
        Assert.Contains("AZ–BY, all months, commercial basis (exporter = the seller's country): Trade agrees with Shipments.", text);
        Assert.Contains("AZ–BY, all months, origin basis (exporter = where the oil was produced): Trade agrees with Shipments.", text);
    }

    [Fact]
    public async Task Wait_checks_again_until_trade_agrees()
    {
        var checks = 0;
        var run = WithSeed(t =>
        {
            if (++checks < 3) UralsNotYetAmended(t);
        });

        Assert.Equal(0, await run.RunAsync("reconcile", "AZ", "BY", "--wait", "30"));

        Assert.Equal(3, checks);
        Assert.Equal(2, run.Delays.Count);
        Assert.Contains("Trade agrees with Shipments", run.Out.ToString());
        Assert.Equal("", run.Error.ToString());
    }

    [Fact]
    public async Task Wait_gives_up_after_the_time_given()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var run = WithSeed(t =>
        {
            UralsNotYetAmended(t);
            clock.Now += TimeSpan.FromSeconds(1);
        });
        run.Clock = clock;

        Assert.Equal(1, await run.RunAsync("reconcile", "AZ", "BY", "--wait", "3", "-o", "json"));

        Assert.Contains("Trade still differs from Shipments in 1 figure after 3 s.", run.Error.ToString());
        Assert.False(JsonDocument.Parse(run.Json.ToString()).RootElement.GetProperty("agrees").GetBoolean());
    }

    [Fact]
    public async Task Json_lists_each_basis_and_every_difference_with_exact_figures()
    {
        var run = WithSeed(UralsNotYetAmended, UralsNotYetAmended);

        Assert.Equal(1, await run.RunAsync("reconcile", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--output", "json"));

        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.Equal(("AZ", "BY", false), (json.GetProperty("country").GetString(), json.GetProperty("partner").GetString(), json.GetProperty("agrees").GetBoolean()));
        Assert.Equal(2020, json.GetProperty("firstMonth").GetProperty("year").GetInt32());
        var report = Assert.Single(json.GetProperty("reports").EnumerateArray());
        Assert.Equal("BASIS_COMMERCIAL", report.GetProperty("basis").GetString());
        var differences = report.GetProperty("differences").EnumerateArray().ToList();
        Assert.Equal(2, differences.Count);
        Assert.Equal(("2020-03", "AZ→BY", "barrels", "1255000.000", "1197500.000"), (differences[1].GetProperty("period").GetString(),
            differences[1].GetProperty("direction").GetString(), differences[1].GetProperty("measure").GetString(),
            differences[1].GetProperty("shipments").GetString(), differences[1].GetProperty("trade").GetString()));
        Assert.Equal("", run.Out.ToString());
    }

    [Fact]
    public async Task Each_service_gets_a_token_with_only_its_read_scope()
    {
        var run = WithSeed();
        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "local-development-signing-key-0123456789";

        await run.RunAsync("reconcile", "AZ", "BY");

        string Scope(RecordedCall call) => TokenTests.Claims(call.Authorization!["Bearer ".Length..]).GetProperty("scope").GetString()!;
        Assert.Equal("shipments:read", Scope(run.Server.CallsTo(Replies.Summarize).Single()));
        Assert.All(run.Server.Calls.Where(c => c.Method != Replies.Summarize), c => Assert.Equal("trade:read", Scope(c)));
        // One token header per call, even through the Reconciler's own client.
        Assert.All(run.Server.Calls, c => Assert.Single(c.Headers, h => h.Key == "authorization"));
    }

    [Fact]
    public async Task Every_call_carries_the_timeout_as_its_deadline()
    {
        var run = WithSeed();
        var before = DateTime.UtcNow;

        await run.RunAsync("reconcile", "AZ", "BY", "--timeout", "2.5");

        Assert.All(run.Server.Calls, c => Assert.InRange(c.Deadline!.Value - before, TimeSpan.FromSeconds(2.4), TimeSpan.FromSeconds(3.5)));
    }

    [Fact]
    public async Task A_failing_service_is_named_and_transient_failures_are_retried()
    {
        var run = WithSeed();
        var attempts = 0;
        run.Server.On<GetTradeSeriesRequest, TradeSeries>(Replies.Series, _ => ++attempts < 2 ? throw Rpc.DatabaseUnavailable() : throw Rpc.ConnectionRefused());

        Assert.Equal(1, await run.RunAsync("reconcile", "AZ", "BY"));

        Assert.Equal(RetryPolicy.Interactive.MaxAttempts, attempts);
        Assert.Contains("Could not reach the Trade service at http://localhost:5201", run.Error.ToString());
    }

    [Fact]
    public async Task Field_violations_from_a_service_are_listed()
    {
        var run = WithSeed();
        run.Server.On<SummarizeShipmentsRequest, ShipmentSummary>(Replies.Summarize, _ => throw Rpc.InvalidArgument(("country", "'XX' is not an officially assigned code")));

        Assert.Equal(1, await run.RunAsync("reconcile", "XX", "BY"));

        Assert.Contains("Shipments rejected the request: 1 field is invalid.", run.Error.ToString());
        Assert.Contains("country: 'XX' is not an officially assigned code.", run.Error.ToString());
    }

    [Theory]
    [InlineData("--basis", "customs", "--basis 'customs' is not a basis; use commercial, origin or both.")]
    [InlineData("--from", "2020-1", "--from '2020-1' is not a month")]
    [InlineData("--wait", "-1", "--wait -1 is out of range")]
    public async Task Bad_options_are_usage_errors(string option, string value, string message)
    {
        var run = new CliRun();

        Assert.Equal(2, await run.RunAsync("reconcile", "AZ", "BY", option, value));

        Assert.Contains(message, run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }
}
