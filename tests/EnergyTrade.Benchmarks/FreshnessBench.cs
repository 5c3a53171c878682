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
/// Record-to-visible latency at a fixed open-loop rate, from CreateShipment's reply until Trade shows the
/// shipment: through long-lived WatchBilateralTotals streams, one per (pair, month) slot (see
/// <see cref="WatchSlots"/>), or, where watching is unavailable or not wanted, by polling GetTradeSeries.
/// </summary>
public sealed class FreshnessBench(BenchOptions options, Clients clients, Random random)
{
    /// <summary>Polled shipments are launched this long before they are due.</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);
    private const int MaxInFlight = 2_000;
    private const int MaxPlanned = 50_000;

    public async Task<FreshnessResult> RunAsync(double rate, CancellationToken cancellationToken)
    {
        var (useWatch, note) = options.FreshnessWatch ? await ProbeWatchAsync(cancellationToken) : (false, "polling, as asked (--freshness-method poll)");
        if (useWatch) return await RunWatchedAsync(rate, cancellationToken);
        var method = $"polling GetTradeSeries, one call per pair every {SeriesPoller.IntervalMs} ms";
        var planned = (int)Math.Clamp(Math.Ceiling(rate * options.FreshnessSeconds), 1, MaxPlanned);
        // The poller pays per pair, so it gets few.
        var flows = Workload.FreshnessFlows[..8];
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

        // Every month's count before the phase, read per pair in bulk (no query per shipment on the way).
        var baseline = await BaselineAsync(flows, months, requests, cancellationToken);

        var visibility = new LatencyRecorder();
        var creates = new LatencyRecorder();
        int sent = 0, visible = 0, timedOut = 0, failed = 0, late = 0, inFlight = 0;
        string? firstError = null;
        var probes = new List<Task>(planned);
        using var gate = new SemaphoreSlim(MaxInFlight);

        var poller = new SeriesPoller(clients);
        using var pollerStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var polling = poller.RunAsync(pollerStop.Token);

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
        Console.WriteLine($"freshness: poller made {poller.Stats}");
        await progressStop.CancelAsync();
        await progress;

        var summary = visibility.Summarize();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"freshness: {visible:N0}/{sent:N0} visible, p50 {summary.P50:0.0} ms, p99 {summary.P99:0.0} ms, max {summary.Max:0.0} ms; {timedOut} timed out, {failed} failed, {late} started > 5 ms late"));
        if (firstError is not null) Console.WriteLine($"freshness: first error: {firstError}");
        return new FreshnessResult(rate, planned, sent, visible, timedOut, failed, late, "polling", summary, creates.Summarize(), seconds,
            note ?? (firstError is null ? null : $"first error: {firstError}"));

        async Task ProbeAsync(int i, long due)
        {
            var flow = new Flow(requests[i].Shipment.ExporterCountry, requests[i].Shipment.ImporterCountry);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(ProbeTimeout + Lead);
            try
            {
                var before = baseline.GetValueOrDefault((flow, SeriesPoller.MonthIndex(months[i])));

                var wait = Clock.Ms(Clock.Now, due);
                if (wait > 0.5) await Task.Delay(TimeSpan.FromMilliseconds(wait), cts.Token);
                else if (wait < -5) Interlocked.Increment(ref late);

                var t0 = Clock.Now;
                await CreateAsync(requests[i], cts.Token);
                var replied = Clock.Now;
                Interlocked.Increment(ref sent);
                creates.Add(Clock.Ms(t0, replied));

                var at = await poller.WaitAsync(flow, months[i], before, cts.Token);
                Interlocked.Increment(ref visible);
                // The poll may see it before the reply arrives (the event can outrun the gRPC response): 0 then.
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
        }
    }

    /// <summary>A slot gets a new shipment this often on average, so that one at a time is in flight per slot as a rule.</summary>
    private static readonly TimeSpan SlotSpacing = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Watched: one WatchBilateralTotals stream per (pair, month) slot is opened before the phase and
    /// stays open; shipment i goes to slot i mod S. Opening a stream per shipment instead would make
    /// the measurement itself (a stream, an auth check and a read per shipment) most of the load.
    /// </summary>
    private async Task<FreshnessResult> RunWatchedAsync(double rate, CancellationToken cancellationToken)
    {
        var planned = (int)Math.Clamp(Math.Ceiling(rate * options.FreshnessSeconds), 1, MaxPlanned);
        var flows = Workload.FreshnessFlows;
        var monthsPerFlow = (int)Math.Clamp(Math.Ceiling(rate * SlotSpacing.TotalSeconds / flows.Length), 1, 120);
        var baseYear = random.Next(5_000, 8_000);
        var slots = (from m in Enumerable.Range(0, monthsPerFlow)
                     from f in flows
                     select (Flow: f, Month: Workload.Month(baseYear + m / 12, m % 12 + 1))).ToList();
        var requests = Enumerable.Range(0, planned)
            .Select(i => slots[i % slots.Count])
            .Select(s => Workload.Shipment(random, s.Flow, s.Month.Year, s.Month.Month)).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"freshness: {planned:N0} shipments at {rate:N0}/s open loop over {slots.Count:N0} (pair, month) slots ({flows.Length} pairs × {monthsPerFlow} months from {baseYear}-01), each slot watched by one WatchBilateralTotals stream opened beforehand"));
        var opening = Clock.Now;
        await using var watches = await WatchSlots.OpenAsync(clients, slots, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"freshness: {slots.Count:N0} watches open in {Clock.Seconds(opening, Clock.Now):0.0} s"));

        var replied = new long[planned];
        var barrels = new decimal?[planned];
        var creates = new LatencyRecorder();
        int sent = 0, failed = 0, late = 0, inFlight = 0;
        string? firstError = null;
        var calls = new List<Task>(planned);
        using var gate = new SemaphoreSlim(MaxInFlight);
        var start = Clock.After(Clock.Now, TimeSpan.FromMilliseconds(50));
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var ticker = new Ticker(TimeSpan.FromSeconds(1));
        var progress = ticker.RunAsync(() => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  [freshness {Math.Max(0, Clock.Seconds(start, Clock.Now)),5:0.0}s] created {Volatile.Read(ref sent),6:N0}/{planned:N0}  in flight {Volatile.Read(ref inFlight),4}  failed {Volatile.Read(ref failed)}")),
            progressStop.Token);

        // Open loop: shipment i is due at start + i/rate whatever happened to the ones before it.
        for (var i = 0; i < planned && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = Clock.After(start, TimeSpan.FromSeconds(i / rate));
            var wait = Clock.Ms(Clock.Now, due);
            if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken);
            else if (wait < -5) late++;
            if (!await gate.WaitAsync(ProbeTimeout, cancellationToken)) break;
            Interlocked.Increment(ref inFlight);
            var index = i;
            calls.Add(Task.Run(async () =>
            {
                try
                {
                    var t0 = Clock.Now;
                    var shipment = await CreateAsync(requests[index], cancellationToken);
                    replied[index] = Clock.Now;
                    barrels[index] = Workload.Parse(shipment.Barrels);
                    creates.Add(Clock.Ms(t0, replied[index]));
                    Interlocked.Increment(ref sent);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, e is RpcException r ? $"{r.StatusCode} {r.Status.Detail}" : e.Message, null);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                    gate.Release();
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(calls);
        var seconds = Clock.Seconds(start, Clock.Now);
        await progressStop.CancelAsync();
        await progress;

        // A slot's shipments in the order they were created; a failed create is simply not among them.
        var perSlot = Enumerable.Range(0, slots.Count)
            .Select(s => Enumerable.Range(0, planned).Where(i => i % slots.Count == s && barrels[i] is not null).ToList()).ToList();
        if (!await watches.WaitForAsync(perSlot.Select(l => l.Count).ToList(), ProbeTimeout, cancellationToken))
        {
            Console.WriteLine($"freshness: not every slot showed all its shipments within {ProbeTimeout.TotalSeconds:0} s");
        }
        var visibility = new LatencyRecorder();
        var visible = 0;
        for (var s = 0; s < slots.Count; s++)
        {
            var at = watches.VisibleAt(s, perSlot[s].Select(i => barrels[i]!.Value).ToList());
            for (var k = 0; k < at.Length; k++)
            {
                if (at[k] is not { } seen) continue;
                visible++;
                // The watch may deliver before the reply arrives (the event can outrun the gRPC response): 0 then.
                visibility.Add(Math.Max(0, Clock.Ms(replied[perSlot[s][k]], seen)));
            }
        }
        var timedOut = sent - visible;
        firstError ??= watches.FirstError;

        var summary = visibility.Summarize();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"freshness: {visible:N0}/{sent:N0} visible, p50 {summary.P50:0.0} ms, p99 {summary.P99:0.0} ms, max {summary.Max:0.0} ms; {timedOut} never seen, {failed} failed, {late} started > 5 ms late"));
        if (firstError is not null) Console.WriteLine($"freshness: first error: {firstError}");
        return new FreshnessResult(rate, planned, sent, visible, timedOut, failed, late, "watch", summary, creates.Summarize(), seconds,
            firstError is null ? null : $"first error: {firstError}");
    }

    /// <summary>CreateShipment, retried with the same request_id while the service says to retry.</summary>
    private async Task<Shipment> CreateAsync(CreateShipmentRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await clients.Shipments.CreateShipmentAsync(request, clients.Call(TimeSpan.FromSeconds(10), cancellationToken));
            }
            catch (RpcException e) when (Workload.Retryable(e) && attempt < 4 && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(50 << attempt, cancellationToken);
            }
        }
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
