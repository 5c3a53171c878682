using System.Globalization;

namespace EnergyTrade.Benchmarks;

public sealed record ThroughputResult(string Name, int Concurrency, long Calls, long Errors, double Seconds, LatencySummary Latency, string? FirstError)
{
    public double PerSecond => Calls / Seconds;
}

/// <summary>C workers calling back to back for a fixed time after a warm-up; only calls started after the warm-up count.</summary>
public static class ClosedLoop
{
    public static async Task<ThroughputResult> RunAsync(string name, int concurrency, TimeSpan duration, TimeSpan warmup,
        Func<int, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var recorder = new LatencyRecorder();
        long calls = 0, errors = 0, lastCalls = 0;
        string? firstError = null;
        var begin = Clock.Now;
        var measureFrom = Clock.After(begin, warmup);
        var end = Clock.After(measureFrom, duration);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Hard bound: calls still running well past the end are cancelled.
        stop.CancelAfter(warmup + duration + TimeSpan.FromSeconds(30));
        using var ticker = new Ticker(TimeSpan.FromSeconds(1));
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = ticker.RunAsync(() =>
        {
            var now = Clock.Now;
            var c = Interlocked.Read(ref calls);
            var phase = now < measureFrom ? "warm-up" : $"{Clock.Seconds(measureFrom, now),4:0.0}s";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  [{name} {phase}] calls {c,8:N0}  rate {c - lastCalls,7:N0}/s  errors {Interlocked.Read(ref errors)}"));
            lastCalls = c;
        }, progressStop.Token);

        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var lane = recorder.NewLane(16_384);
            var n = w;
            while (!stop.IsCancellationRequested)
            {
                var t0 = Clock.Now;
                if (t0 >= end) break;
                try
                {
                    await call(n, stop.Token);
                    var t1 = Clock.Now;
                    if (t0 >= measureFrom)
                    {
                        lane.Add(Clock.Ms(t0, t1));
                        Interlocked.Increment(ref calls);
                    }
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                    // An error storm must not spin: back off a little.
                    await Task.Delay(10, CancellationToken.None);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    break;
                }
                n += concurrency;
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(workers);
        var seconds = Clock.Seconds(measureFrom, Math.Min(Clock.Now, end));
        await progressStop.CancelAsync();
        await progress;
        var result = new ThroughputResult(name, concurrency, calls, errors, Math.Max(seconds, 1e-3), recorder.Summarize(), firstError);
        var first = firstError is null ? "" : $" (first: {firstError})";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {result.PerSecond:N0} calls/s at concurrency {concurrency}, p50 {result.Latency.P50:0.00} ms, p99 {result.Latency.P99:0.00} ms, {errors} errors{first}"));
        return result;
    }
}
