using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using EnergyTrade.Cli.Commands.Trade;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Cli.Tests;

/// <summary>trade watch against a fake stream: the totals at once, a line per change, Ctrl-C ends it with 130.</summary>
[Trait("Category", "Unit")]
public sealed class WatchCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The seed's totals after the March Urals cargo was amended to 85,000 t at 7.5 bbl/t.</summary>
    private static BilateralTotals Amended()
    {
        var totals = Replies.SeedTotals();
        totals.Exports.Barrels = ProtoValues.Decimal(3_887_500.000m);
        totals.Exports.Tonnes = ProtoValues.Decimal(524_208.732m);
        return totals;
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}.");
            await Task.Delay(20);
        }
    }

    private static async IAsyncEnumerable<BilateralTotals> Forever(IEnumerable<BilateralTotals> first, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var totals in first) yield return totals;
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    [Fact]
    public async Task Prints_the_totals_at_once_then_a_line_per_change_until_ctrl_c()
    {
        var run = new CliRun();
        var updates = Channel.CreateUnbounded<BilateralTotals>();
        run.Server.OnStream<GetBilateralTotalsRequest, BilateralTotals>(Replies.Watch, (_, ct) => updates.Reader.ReadAllAsync(ct));
        using var ctrlC = new CancellationTokenSource();
        run.Cancellation = ctrlC.Token;

        var watching = run.RunAsync("trade", "watch", "az", "by", "--from", "2020-01", "--to", "2020-04", "--basis", "origin");
        updates.Writer.TryWrite(Replies.SeedTotals());
        await Until(() => run.Out.ToString().Contains("Watching for changes"), "the first totals");
        updates.Writer.TryWrite(Amended());
        await Until(() => run.Out.ToString().Contains("3,887,500 bbl"), "the change");
        ctrlC.Cancel();

        Assert.Equal(130, await watching);
        var request = (GetBilateralTotalsRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(("AZ", "BY", Basis.Origin, 1, 4), (request.Country, request.Partner, request.Basis, request.FirstMonth.Month, request.LastMonth.Month));
        Assert.Null(Assert.Single(run.Server.Calls).Deadline);
        var text = run.Out.ToString();
        Assert.Contains("AZ–BY trade, 2020-01 to 2020-04", text);
        Assert.Contains("3,830,000 bbl", text);
        Assert.Matches(@"UTC  exports AZ → BY 5 shipments, 3,887,500 bbl, 0.00 USD \(\+57,500 bbl\); imports BY → AZ 0 shipments, 0 bbl, 0.00 USD; turnover 0.00 USD; balance 0.00 USD", text);
        // Stopping a watch is not an error.
        Assert.DoesNotContain("error", run.Error.ToString());
    }

    [Fact]
    public void A_change_line_names_every_flow_that_moved_with_signs()
    {
        var before = Replies.SeedTotals();
        var after = Replies.SeedTotals();
        after.Exports.ShipmentCount = 4;
        after.Exports.Barrels = ProtoValues.Decimal(3_250_000m);
        after.Imports = Replies.Flow(1, 100_000m, 13_642.565m, 7_000_000m, 1);
        after.Turnover = ProtoValues.Money(7_000_000m);
        after.Balance = ProtoValues.Money(-7_000_000m);

        var line = WatchView.Change(before, after, new DateTimeOffset(2026, 5, 2, 10, 15, 3, TimeSpan.Zero));

        Assert.Equal("2026-05-02 10:15:03 UTC  exports AZ → BY 4 shipments, 3,250,000 bbl, 0.00 USD (-1 shipment, -580,000 bbl); " +
            "imports BY → AZ 1 shipment, 100,000 bbl, 7,000,000.00 USD (+1 shipment, +100,000 bbl, +7,000,000.00 USD); " +
            "turnover 7,000,000.00 USD (+7,000,000.00 USD); balance -7,000,000.00 USD (-7,000,000.00 USD)", line);
    }

    [Fact]
    public async Task Json_output_is_one_message_per_line()
    {
        var run = new CliRun();
        run.Server.OnStream<GetBilateralTotalsRequest, BilateralTotals>(Replies.Watch, (_, ct) => Forever([Replies.SeedTotals(), Amended()], ct));
        using var ctrlC = new CancellationTokenSource();
        run.Cancellation = ctrlC.Token;

        var watching = run.RunAsync("trade", "watch", "AZ", "BY", "-o", "json");
        await Until(() => run.Json.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2, "two lines");
        ctrlC.Cancel();

        Assert.Equal(130, await watching);
        var lines = run.Json.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var barrels = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("exports").GetProperty("barrels").GetProperty("value").GetString());
        Assert.Equal(["3830000.000", "3887500.000"], barrels);
        Assert.Equal("", run.Out.ToString());
    }

    [Fact]
    public async Task A_stream_the_service_ends_is_opened_again_without_repeating_what_was_shown()
    {
        var run = new CliRun();
        var opened = 0;
        run.Server.OnStream<GetBilateralTotalsRequest, BilateralTotals>(Replies.Watch, (_, ct) => Interlocked.Increment(ref opened) == 1
            ? new[] { Replies.SeedTotals() }.ToAsyncEnumerable()
            : Forever([Replies.SeedTotals(), Amended()], ct));
        using var ctrlC = new CancellationTokenSource();
        run.Cancellation = ctrlC.Token;

        var watching = run.RunAsync("trade", "watch", "AZ", "BY");
        await Until(() => run.Out.ToString().Contains("3,887,500 bbl"), "the change on the second stream");
        ctrlC.Cancel();

        Assert.Equal(130, await watching);
        Assert.Equal(2, opened);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.Out.ToString(), "AZ–BY trade,"));
        Assert.Contains("Trade ended the watch", run.Error.ToString());
        Assert.Contains(WatchCommand.ReopenDelay, run.Delays);
    }

    [Fact]
    public async Task An_unreachable_trade_is_retried_with_backoff_then_reported()
    {
        var run = new CliRun();
        var opened = 0;
        run.Server.OnStream<GetBilateralTotalsRequest, BilateralTotals>(Replies.Watch, (_, ct) => Interlocked.Increment(ref opened) <= 2
            ? Fail(Rpc.ConnectionRefused())
            : Forever([Replies.SeedTotals()], ct));
        using var ctrlC = new CancellationTokenSource();
        run.Cancellation = ctrlC.Token;

        var watching = run.RunAsync("trade", "watch", "AZ", "BY");
        await Until(() => run.Out.ToString().Contains("Watching for changes"), "the totals after two failures");
        ctrlC.Cancel();

        Assert.Equal(130, await watching);
        Assert.Equal(3, opened);
        Assert.Equal(2, run.Delays.Count);
        Assert.Contains("Lost the watch (Unavailable); opening it again in", run.Error.ToString());
    }

    [Fact]
    public async Task A_stream_that_broke_after_answering_starts_the_count_of_failures_again()
    {
        var run = new CliRun();
        var opened = 0;
        var breaks = RetryPolicy.Watch.MaxAttempts + 2;
        run.Server.OnStream<GetBilateralTotalsRequest, BilateralTotals>(Replies.Watch, (_, ct) => Interlocked.Increment(ref opened) <= breaks
            ? AnswerThenFail(Replies.SeedTotals(), Rpc.ConnectionRefused())
            : Forever([Replies.SeedTotals(), Amended()], ct));
        using var ctrlC = new CancellationTokenSource();
        run.Cancellation = ctrlC.Token;

        var watching = run.RunAsync("trade", "watch", "AZ", "BY");
        await Until(() => run.Out.ToString().Contains("3,887,500 bbl"), "the change after more breaks than the attempt limit");
        ctrlC.Cancel();

        Assert.Equal(130, await watching);
        Assert.Equal(breaks + 1, opened);
        Assert.Equal(breaks, run.Delays.Count);
        Assert.Equal(breaks, System.Text.RegularExpressions.Regex.Matches(run.Error.ToString(), @"Lost the watch \(Unavailable\)").Count);
    }

    [Fact]
    public async Task A_trade_that_stays_unreachable_ends_the_watch_with_the_usual_error()
    {
        var run = new CliRun();
        run.Server.OnStream<GetBilateralTotalsRequest, BilateralTotals>(Replies.Watch, (_, _) => Fail(Rpc.ConnectionRefused()));

        Assert.Equal(1, await run.RunAsync("trade", "watch", "AZ", "BY"));

        Assert.Equal(RetryPolicy.Watch.MaxAttempts, run.Server.Calls.Count);
        Assert.Contains("Could not reach the Trade service at http://localhost:5201", run.Error.ToString());
    }

    [Fact]
    public async Task The_first_answer_must_come_within_the_timeout()
    {
        var run = new CliRun();
        run.Server.OnStream<GetBilateralTotalsRequest, BilateralTotals>(Replies.Watch, (_, ct) => Forever([], ct));

        Assert.Equal(1, await run.RunAsync("trade", "watch", "AZ", "BY", "--timeout", "0.2"));

        Assert.Contains("Trade at http://localhost:5201 did not answer within 0.2 s", run.Error.ToString());
    }

    [Fact]
    public async Task Ctrl_c_before_the_first_answer_is_a_cancellation_not_a_timeout()
    {
        var run = new CliRun();
        run.Server.OnStream<GetBilateralTotalsRequest, BilateralTotals>(Replies.Watch, (_, ct) => Forever([], ct));
        using var ctrlC = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        run.Cancellation = ctrlC.Token;

        Assert.Equal(130, await run.RunAsync("trade", "watch", "AZ", "BY", "--timeout", "30"));

        Assert.Equal("", run.Error.ToString());
    }

    [Fact]
    public async Task Bad_options_are_usage_errors()
    {
        var run = new CliRun();
        Assert.Equal(2, await run.RunAsync("trade", "watch", "AZ", "BY", "--basis", "fob"));
        Assert.Contains("--basis 'fob' is not a basis; use commercial or origin.", run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }

    private static async IAsyncEnumerable<BilateralTotals> Fail(RpcException error)
    {
        await Task.Yield();
        throw error;
#pragma warning disable CS0162 // An iterator needs a yield.
        yield break;
#pragma warning restore CS0162
    }

    private static async IAsyncEnumerable<BilateralTotals> AnswerThenFail(BilateralTotals answer, RpcException error)
    {
        yield return answer;
        await Task.Yield();
        throw error;
    }
}
