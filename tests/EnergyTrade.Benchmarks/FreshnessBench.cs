using System.Globalization;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Grpc.Core;

namespace EnergyTrade.Benchmarks;

public sealed record FreshnessResult(
    double Rate,
    int Planned,
    int Sent,
    int Visible,
    int TimedOut,
    int Failed,
    int LateStarts,
    string Method,
    LatencySummary Visibility,
    LatencySummary CreateLatency,
    double Seconds,
    string? Note);

/// <summary>
/// Record-to-visible latency at a fixed open-loop rate: each shipment gets its own (pair, month), whose totals
/// are watched (WatchBilateralTotals) or polled from before the create; the latency runs from CreateShipment's
/// reply to the first answer whose shipment count went up.
/// </summary>
public sealed class FreshnessBench(BenchOptions options, Clients clients, Random random)
{
    /// <summary>Watches open this long before their shipment's slot, so opening them does not delay the create.</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);
    private const int MaxInFlight = 2_000;
    private const int MaxPlanned = 50_000;

    public async Task<FreshnessResult> RunAsync(double rate, CancellationToken cancellationToken)
    {
        var (useWatch, note) = options.FreshnessWatch ? await ProbeWatchAsync(cancellationToken) : (false, "polling, as asked (--freshness-method poll)");
        var method = useWatch ? "WatchBilateralTotals" : $"polling GetTradeSeries, one call per pair every {SeriesPoller.IntervalMs} ms";
        var planned = (int)Math.Clamp(Math.Ceiling(rate * options.FreshnessSeconds), 1, MaxPlanned);
        // Watches wake on any change to their pair, so they get many pairs; the poller pays per pair, so it gets few.
        var flows = useWatch ? Workload.FreshnessFlows : Workload.FreshnessFlows[..8];
        var baseYear = random.Next(5_000, 8_000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"freshness: {planned:N0} shipments at {rate:N0}/s open loop, each on its own pair and month ({flows.Length} pairs, from {baseYear}-01), seen through {method}"));
        if (note is not null) Console.WriteLine($"freshness: {note}");

        var requests = new CreateShipmentRequest[planned];
        var months = new Google.Type.Date[planned];
        for (var i = 0; i < planned; i++)
        {
            var k = i / flows.Length;
            var (year, month) = (baseYear + k / 12, k % 12 + 1);
            requests[i] = Workload.Shipment(random, flows[i % flows.Length], year, month);
            months[i] = Workload.Month(year, month);
        }

        // Polling: every month's count before the phase, read per pair in bulk (no query per shipment on the way).
        var baseline = useWatch ? null : await BaselineAsync(flows, months, requests, cancellationToken);

        var visibility = new LatencyRecorder();
        var creates = new LatencyRecorder();
        int sent = 0, visible = 0, timedOut = 0, failed = 0, late = 0, inFlight = 0;
        string? firstError = null;
        var probes = new List<Task>(planned);
        using var gate = new SemaphoreSlim(MaxInFlight);

        var poller = new SeriesPoller(clients);
        using var pollerStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var polling = useWatch ? Task.CompletedTask : poller.RunAsync(pollerStop.Token);

        var start = Clock.After(Clock.Now, Lead + TimeSpan.FromMilliseconds(50));
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var ticker = new Ticker(TimeSpan.FromSeconds(1));
        var progress = ticker.RunAsync(() => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  [freshness {Math.Max(0, Clock.Seconds(start, Clock.Now)),5:0.0}s] created {Volatile.Read(ref sent),6:N0}/{planned:N0}  visible {Volatile.Read(ref visible),6:N0}  in flight {Volatile.Read(ref inFlight),4}  timed out {Volatile.Read(ref timedOut)}")),
            progressStop.Token);

        // Open loop: shipment i is due at start + i/rate whatever happened to the ones before it.
        for (var i = 0; i < planned && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = Clock.After(start, TimeSpan.FromSeconds(i / rate));
            var launch = due - (long)(Lead.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            var wait = Clock.Ms(Clock.Now, launch);
            if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken);
            if (!await gate.WaitAsync(ProbeTimeout, cancellationToken)) break;
            Interlocked.Increment(ref inFlight);
            var index = i;
            probes.Add(Task.Run(async () =>
            {
                try
                {
                    await ProbeAsync(index, due);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                    gate.Release();
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(probes);
        var seconds = Clock.Seconds(start, Clock.Now);
        await pollerStop.CancelAsync();
        await polling;
        if (!useWatch) Console.WriteLine($"freshness: poller made {poller.Stats}");
        await progressStop.CancelAsync();
        await progress;

        var summary = visibility.Summarize();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"freshness: {visible:N0}/{sent:N0} visible, p50 {summary.P50:0.0} ms, p99 {summary.P99:0.0} ms, max {summary.Max:0.0} ms; {timedOut} timed out, {failed} failed, {late} started > 5 ms late"));
        if (firstError is not null) Console.WriteLine($"freshness: first error: {firstError}");
        return new FreshnessResult(rate, planned, sent, visible, timedOut, failed, late, useWatch ? "watch" : "polling", summary, creates.Summarize(), seconds,
            note ?? (firstError is null ? null : $"first error: {firstError}"));

        async Task ProbeAsync(int i, long due)
        {
            var flow = new Flow(requests[i].Shipment.ExporterCountry, requests[i].Shipment.ImporterCountry);
            var query = Workload.Totals(flow.Exporter, flow.Importer, months[i], months[i]);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(ProbeTimeout + Lead);
            AsyncServerStreamingCall<BilateralTotals>? watch = null;
            try
            {
                long before;
                Task<long>? seen = null;
                if (useWatch)
                {
                    watch = clients.Trade.WatchBilateralTotals(query, clients.Call(ProbeTimeout + Lead + TimeSpan.FromSeconds(5), cts.Token));
                    if (!await watch.ResponseStream.MoveNext(cts.Token)) throw new InvalidOperationException("the watch ended before its first message");
                    before = watch.ResponseStream.Current.Exports.ShipmentCount;
                    seen = FirstAboveAsync(watch.ResponseStream, before, cts.Token);
                }
                else
                {
                    before = baseline!.GetValueOrDefault((flow, SeriesPoller.MonthIndex(months[i])));
                }

                var wait = Clock.Ms(Clock.Now, due);
                if (wait > 0.5) await Task.Delay(TimeSpan.FromMilliseconds(wait), cts.Token);
                else if (wait < -5) Interlocked.Increment(ref late);

                var t0 = Clock.Now;
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await clients.Shipments.CreateShipmentAsync(requests[i], clients.Call(TimeSpan.FromSeconds(10), cts.Token));
                        break;
                    }
                    catch (RpcException e) when (Workload.Retryable(e) && attempt < 4 && !cts.IsCancellationRequested)
                    {
                        await Task.Delay(50 << attempt, cts.Token);
                    }
                }
                var replied = Clock.Now;
                Interlocked.Increment(ref sent);
                creates.Add(Clock.Ms(t0, replied));

                var at = seen is not null ? await seen : await poller.WaitAsync(flow, months[i], before, cts.Token);
                Interlocked.Increment(ref visible);
                // The watch may deliver before the reply arrives (the event can outrun the gRPC response): 0 then.
                visibility.Add(Math.Max(0, Clock.Ms(replied, at)));
            }
            catch (Exception) when (cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref timedOut);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, e is RpcException r ? $"{r.StatusCode} {r.Status.Detail}" : e.Message, null);
            }
            finally
            {
                watch?.Dispose();
            }
        }
    }

    private static async Task<long> FirstAboveAsync(IAsyncStreamReader<BilateralTotals> stream, long before, CancellationToken cancellationToken)
    {
        while (await stream.MoveNext(cancellationToken))
        {
            if (stream.Current.Exports.ShipmentCount > before) return Clock.Now;
        }
        throw new InvalidOperationException("the watch ended before the shipment showed");
    }

    private async Task<Dictionary<(Flow, int), long>> BaselineAsync(Flow[] flows, Google.Type.Date[] months, CreateShipmentRequest[] requests,
        CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(Flow, int), long>();
        foreach (var flow in flows)
        {
            var indexes = Enumerable.Range(0, requests.Length)
                .Where(i => requests[i].Shipment.ExporterCountry == flow.Exporter && requests[i].Shipment.ImporterCountry == flow.Importer)
                .Select(i => SeriesPoller.MonthIndex(months[i])).ToList();
            if (indexes.Count == 0) continue;
            // GetTradeSeries answers at most 600 months at once.
            for (var first = indexes.Min(); first <= indexes.Max(); first += 600)
            {
                var last = Math.Min(indexes.Max(), first + 599);
                var series = await clients.Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
                {
                    Country = flow.Exporter, Partner = flow.Importer,
                    FirstMonth = Workload.Month(first / 12, first % 12 + 1), LastMonth = Workload.Month(last / 12, last % 12 + 1),
                }, clients.Call(TimeSpan.FromSeconds(30), cancellationToken));
                foreach (var m in series.Months) counts[(flow, SeriesPoller.MonthIndex(m.Month))] = m.Exports.ShipmentCount;
            }
        }
        return counts;
    }

    /// <summary>Whether WatchBilateralTotals answers; UNIMPLEMENTED (or any failure) means polling, said in the output.</summary>
    private async Task<(bool Watch, string? Note)> ProbeWatchAsync(CancellationToken cancellationToken)
    {
        var query = Workload.Totals("NO", "FR", Workload.Month(9999, 12), Workload.Month(9999, 12));
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(10));
            using var call = clients.Trade.WatchBilateralTotals(query, clients.Call(TimeSpan.FromSeconds(10), cts.Token));
            if (await call.ResponseStream.MoveNext(cts.Token)) return (true, null);
            return (false, "WatchBilateralTotals ended without a message: FALLING BACK TO POLLING");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return (false, "WatchBilateralTotals is UNIMPLEMENTED on this server: FALLING BACK TO POLLING");
        }
        catch (RpcException e)
        {
            return (false, $"WatchBilateralTotals failed ({e.StatusCode} {e.Status.Detail}): FALLING BACK TO POLLING");
        }
    }
}
