using System.Globalization;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Grpc.Core;

namespace EnergyTrade.Benchmarks;

public sealed record IngestResult(
    int Requested,
    int Created,
    int Year,
    int Flows,
    double CreateSeconds,
    double CreatedPerSecond,
    LatencySummary CreateLatency,
    int Retries,
    bool Exact,
    double SecondsToExact,
    double EventsPerSecond,
    double LagAfterLastCreateSeconds,
    string? Problem)
{
    /// <summary>The rate the freshness phase takes half of: end-to-end when exact, else what Trade visibly kept up with.</summary>
    public double SustainedRate { get; init; }
}

/// <summary>
/// Creates N shipments at concurrency C, then polls Trade until its totals for every pair over the run's
/// own months equal, exactly, the counts and barrels of the shipments Shipments returned.
/// </summary>
public sealed class IngestBench(BenchOptions options, Clients clients, Random random)
{
    private readonly TradeCounts _trade = new(clients);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private const int MaxAttempts = 8;
    private const int PollIntervalMs = 20;

    public async Task<IngestResult> RunAsync(CancellationToken cancellationToken)
    {
        var flows = Workload.IngestFlows;
        var pairs = Workload.QueryPairs(flows);
        if (options.Warmup > 0) await WarmUpAsync(flows, pairs, cancellationToken);
        var year = await _trade.PickEmptyYearAsync(pairs, random, cancellationToken);
        var first = Workload.Month(year, 1);
        var last = Workload.Month(year, 12);
        Console.WriteLine($"ingest: {options.Count:N0} shipments over {flows.Length} flows ({pairs.Length} pairs), months {year}-01..{year}-12, concurrency {options.Concurrency}");

        // Generated before the clock starts, so the measured loop only sends.
        var requests = new CreateShipmentRequest[options.Count];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = Workload.Shipment(random, flows[random.Next(flows.Length)], year, random.Next(1, 13));
        }
        var replies = new Shipments.V1.Shipment?[options.Count];
        var latencies = new LatencyRecorder();
        var next = -1;
        var created = 0;
        var retries = 0;
        string? problem = null;
        long lastReply = 0;

        using var phase = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var start = Clock.Now;
        using var ticker = new Ticker(TimeSpan.FromSeconds(1));
        var lastCreated = 0;
        var progress = ticker.RunAsync(async () =>
        {
            var now = Clock.Now;
            var c = Volatile.Read(ref created);
            var seen = await _trade.CountAsync(pairs, first, last, phase.Token);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  [ingest {Clock.Seconds(start, now),5:0.0}s] created {c,7:N0}/{options.Count:N0}  rate {c - lastCreated,6:N0}/s  (avg {c / Clock.Seconds(start, now),6:N0}/s)  Trade has {seen:N0}"));
            lastCreated = c;
        }, phase.Token);

        var workers = Enumerable.Range(0, Math.Min(options.Concurrency, options.Count)).Select(_ => Task.Run(async () =>
        {
            var lane = latencies.NewLane(options.Count / options.Concurrency + 16);
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Length && !phase.IsCancellationRequested)
            {
                var t0 = Clock.Now;
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        replies[i] = await clients.Shipments.CreateShipmentAsync(requests[i], clients.Call(CallTimeout, phase.Token));
                        var t1 = Clock.Now;
                        lane.Add(Clock.Ms(t0, t1));
                        Interlocked.Increment(ref created);
                        InterlockedMax(ref lastReply, t1);
                        break;
                    }
                    catch (RpcException e) when (Workload.Retryable(e) && attempt < MaxAttempts && !phase.IsCancellationRequested)
                    {
                        // Same request_id: the service returns the original if the first attempt did commit.
                        Interlocked.Increment(ref retries);
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 50 << attempt)), phase.Token);
                    }
                    catch (RpcException e)
                    {
                        Interlocked.CompareExchange(ref problem, $"CreateShipment failed: {e.StatusCode} {e.Status.Detail}", null);
                        await phase.CancelAsync();
                        return;
                    }
                }
            }
        }, phase.Token)).ToArray();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (problem is not null || cancellationToken.IsCancellationRequested)
        {
        }
        var createdAll = Clock.Now;
        var createSeconds = Clock.Seconds(start, lastReply == 0 ? createdAll : lastReply);
        var createLatency = latencies.Summarize();

        if (problem is not null || created < requests.Length)
        {
            await phase.CancelAsync();
            await Quietly(progress);
            problem ??= $"only {created:N0} of {requests.Length:N0} shipments were created";
            Console.WriteLine($"ingest: {problem}");
            return new IngestResult(requests.Length, created, year, flows.Length, createSeconds, created / createSeconds, createLatency, retries,
                false, double.NaN, double.NaN, double.NaN, problem) { SustainedRate = created / createSeconds };
        }

        // What Trade must show: the returned shipments' own barrels, summed exactly per direction.
        var expected = flows.ToDictionary(f => f, _ => (Count: 0L, Barrels: 0m));
        foreach (var s in replies)
        {
            var flow = new Flow(s!.ExporterCountry, s.ImporterCountry);
            var (c, b) = expected[flow];
            expected[flow] = (c + 1, b + Workload.Parse(s.Barrels));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest: all {requests.Length:N0} created in {createSeconds:0.00} s ({requests.Length / createSeconds:N0}/s); waiting for Trade's totals to match exactly …"));
        var deadline = Clock.After(createdAll, TimeSpan.FromSeconds(options.DrainTimeoutSeconds));
        long exactAt = 0;
        string mismatch = "not checked";
        while (Clock.Now < deadline && !cancellationToken.IsCancellationRequested)
        {
            var check = await _trade.CompareAsync(pairs, first, last, expected, cancellationToken);
            if (check.Exact)
            {
                exactAt = Clock.Now;
                break;
            }
            mismatch = check.Description;
            if (check.Overshoot)
            {
                problem = $"Trade counts MORE than was created: {mismatch}";
                break;
            }
            await Task.Delay(PollIntervalMs, cancellationToken);
        }
        await phase.CancelAsync();
        await Quietly(progress);

        if (exactAt == 0)
        {
            problem ??= $"totals not exact {options.DrainTimeoutSeconds:0} s after the last create: {mismatch}";
            Console.WriteLine($"ingest: {problem}");
            var seen = await _trade.CountAsync(pairs, first, last, cancellationToken);
            var elapsed = Clock.Seconds(start, Clock.Now);
            return new IngestResult(requests.Length, created, year, flows.Length, createSeconds, created / createSeconds, createLatency, retries,
                false, double.NaN, double.NaN, double.NaN, problem) { SustainedRate = (seen ?? 0) / elapsed };
        }
        var toExact = Clock.Seconds(start, exactAt);
        var eps = requests.Length / toExact;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest: Trade's totals exact {toExact:0.00} s after the first request ({Clock.Seconds(createdAll, exactAt):0.00} s after the last reply): {eps:N0} events/s end to end"));
        return new IngestResult(requests.Length, created, year, flows.Length, createSeconds, created / createSeconds, createLatency, retries,
            true, toExact, eps, Clock.Seconds(lastReply, exactAt), null) { SustainedRate = eps };
    }

    /// <summary>
    /// Shipments into a year of their own, created at the same concurrency and waited for until Trade shows them
    /// all: the measured run then starts on a warm, idle pipeline (JIT, connection pools, caches).
    /// </summary>
    private async Task WarmUpAsync(Flow[] flows, (string Country, string Partner)[] pairs, CancellationToken cancellationToken)
    {
        var year = await _trade.PickEmptyYearAsync(pairs, random, cancellationToken);
        var requests = Enumerable.Range(0, options.Warmup)
            .Select(_ => Workload.Shipment(random, flows[random.Next(flows.Length)], year, random.Next(1, 13))).ToArray();
        var start = Clock.Now;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (request, token) =>
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await clients.Shipments.CreateShipmentAsync(request, clients.Call(CallTimeout, token));
                        return;
                    }
                    catch (RpcException e) when (Workload.Retryable(e) && attempt < MaxAttempts)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 50 << attempt)), token);
                    }
                }
            });
        var created = Clock.Now;
        var deadline = Clock.After(created, TimeSpan.FromSeconds(60));
        long? seen = 0;
        while (Clock.Now < deadline && (seen = await _trade.CountAsync(pairs, Workload.Month(year, 1), Workload.Month(year, 12), cancellationToken)) < requests.Length)
        {
            await Task.Delay(100, cancellationToken);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm-up: {requests.Length:N0} shipments (year {year}) created in {Clock.Seconds(start, created):0.0} s, Trade shows {seen:N0} after {Clock.Seconds(start, Clock.Now):0.0} s"));
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    internal static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
