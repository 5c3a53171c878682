using System.Globalization;
using EnergyTrade.Shipments.V1;
using Google.LongRunning;
using Grpc.Core;

namespace EnergyTrade.Benchmarks;

public sealed record ReplayResult(
    long Republished,
    double ReplaySeconds,
    double CreateRate,
    LatencySummary Baseline,
    LatencySummary During,
    int LiveCreates,
    bool LiveExact,
    double LiveLagSeconds,
    double LongestTransactionSeconds,
    string? Problem)
{
    public double ReplayPerSecond => Republished / ReplaySeconds;
}

/// <summary>
/// Phase 8, a replay at scale: StartShipmentRepublish of phase 7's year (every shipment's snapshot
/// written to the outbox again), while single creates arrive at a steady rate, as they would from
/// users. Their latency is measured before and during the replay, and how long after the last one
/// Trade counts them all; PostgreSQL's longest open transaction in Shipments' database is sampled
/// throughout, since a replay must never hold one for long.
/// </summary>
public sealed class ReplayBench(BenchOptions options, Clients clients, Random random)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly TradeCounts _trade = new(clients);

    public async Task<ReplayResult> RunAsync(int replayYear, CancellationToken cancellationToken)
    {
        var flows = Workload.IngestFlows;
        var pairs = Workload.QueryPairs(flows);
        var liveYear = await _trade.PickEmptyYearAsync(pairs, random, cancellationToken);
        var expected = new Dictionary<Flow, (long Count, decimal Barrels)>();
        var rate = options.ReplayCreateRate;

        Console.WriteLine(F($"replay: creates at {rate:N0}/s into {liveYear}, {options.QuerySeconds:0} s without a replay"));
        var baseline = await CreatesAsync(rate, flows, liveYear, expected, stopWhen: null,
            until: Clock.After(Clock.Now, TimeSpan.FromSeconds(options.QuerySeconds)), cancellationToken);

        var y = replayYear;
        var started = await clients.Shipments.StartShipmentRepublishAsync(Workload.RepublishYear(y), clients.Call(CallTimeout, cancellationToken));
        var replayStart = Clock.Now;
        Console.WriteLine($"replay: {started.Name} republishes {started.Metadata.Unpack<RepublishShipmentsMetadata>().TotalCount:N0} shipments of {y}; creates go on");

        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var longest = 0.0;
        var sampler = LongestTransaction.SampleAsync(options.ShipmentsConnectionString, "replay", seconds => longest = Math.Max(longest, seconds), sampling.Token);
        Operation? done = null;
        var replayEnd = 0L;
        var during = await CreatesAsync(rate, flows, liveYear, expected, stopWhen: async () =>
        {
            var operation = await clients.ShipmentsOperations.GetOperationAsync(new GetOperationRequest { Name = started.Name },
                clients.Call(CallTimeout, cancellationToken));
            if (!operation.Done) return false;
            done = operation;
            replayEnd = Clock.Now;
            return true;
        }, until: Clock.After(Clock.Now, TimeSpan.FromSeconds(options.DrainTimeoutSeconds * 4)), cancellationToken);
        await sampling.CancelAsync();
        await IngestBench.Quietly(sampler);

        var lastCreate = Clock.Now;
        string? problem = done is null ? "the republish did not finish within the time allowed"
            : done.Error is { } error ? $"the republish failed: {error.Message}" : null;
        var replaySeconds = Clock.Seconds(replayStart, replayEnd == 0 ? Clock.Now : replayEnd);
        var republished = done?.Metadata.Unpack<RepublishShipmentsMetadata>().RepublishedCount ?? 0;
        Console.WriteLine(F($"replay: {republished:N0} republished in {replaySeconds:0.0} s ({republished / replaySeconds:N0}/s); longest transaction {longest:0.00} s"));

        var (first, last) = (Workload.Month(liveYear, 1), Workload.Month(liveYear, 12));
        var check = default(TradeCounts.Check);
        var deadline = Clock.After(Clock.Now, TimeSpan.FromSeconds(options.DrainTimeoutSeconds));
        while (Clock.Now < deadline)
        {
            check = await _trade.CompareAsync(pairs, first, last, expected, cancellationToken);
            if (check.Exact || check.Overshoot) break;
            await Task.Delay(50, cancellationToken);
        }
        var lag = Clock.Seconds(lastCreate, Clock.Now);
        if (!check.Exact) problem ??= $"Trade did not count the live creates exactly: {check.Description}";
        var creates = (int)expected.Values.Sum(v => v.Count);
        Console.WriteLine(F($"replay: creates p99 {baseline.P99:0.0} ms before, {during.P99:0.0} ms during; Trade counted all {creates:N0} live creates {lag:0.00} s after the last"));
        return new ReplayResult(republished, replaySeconds, rate, baseline, during, creates, check.Exact, lag, longest, problem);
    }

    /// <summary>
    /// Creates at <paramref name="rate"/> per second until <paramref name="stopWhen"/> says so (asked every half
    /// second, apart from the sending) or <paramref name="until"/>; each create is added to <paramref name="expected"/>
    /// once answered. Open loop: each create is due at its own time and its latency is timed from then, so a
    /// stalled sender or service shows in the figures instead of hiding in a pause.
    /// </summary>
    private async Task<LatencySummary> CreatesAsync(double rate, Flow[] flows, int year, Dictionary<Flow, (long Count, decimal Barrels)> expected,
        Func<Task<bool>>? stopWhen, long until, CancellationToken cancellationToken)
    {
        var latencies = new LatencyRecorder();
        var inFlight = new List<Task>();
        var start = Clock.Now;
        var sent = 0L;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = stopWhen is null ? Task.CompletedTask : Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !await stopWhen()) await Task.Delay(500, stop.Token);
            await stop.CancelAsync();
        }, cancellationToken);
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (!stop.IsCancellationRequested && Clock.Now < until && await Ticks(ticker, stop.Token))
        {
            var due = (long)(Clock.Seconds(start, Clock.Now) * rate);
            for (; sent < due; sent++)
            {
                var flow = flows[random.Next(flows.Length)];
                var request = Workload.Shipment(random, flow, year, random.Next(1, 13));
                var scheduled = start + (long)(sent / rate * System.Diagnostics.Stopwatch.Frequency);
                inFlight.Add(CreateAsync(request, flow, scheduled, latencies, expected, cancellationToken));
            }
        }
        await stop.CancelAsync();
        await IngestBench.Quietly(watcher);
        await Task.WhenAll(inFlight);
        return latencies.Summarize();

        static async Task<bool> Ticks(PeriodicTimer ticker, CancellationToken token)
        {
            try
            {
                return await ticker.WaitForNextTickAsync(token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private async Task CreateAsync(CreateShipmentRequest request, Flow flow, long scheduled, LatencyRecorder latencies,
        Dictionary<Flow, (long Count, decimal Barrels)> expected, CancellationToken cancellationToken)
    {
        var shipment = await clients.Shipments.CreateShipmentAsync(request, clients.Call(CallTimeout, cancellationToken));
        latencies.Add(Clock.Ms(scheduled, Clock.Now));
        lock (expected)
        {
            var (count, barrels) = expected.GetValueOrDefault(flow);
            expected[flow] = (count + 1, barrels + Workload.Parse(shipment.Barrels));
        }
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
