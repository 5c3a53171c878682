using System.Collections.Concurrent;
using EnergyTrade.Trade.V1;
using Grpc.Core;

namespace EnergyTrade.Benchmarks;

/// <summary>
/// The freshness phase's polling fallback. Polling each shipment's own (pair, month) would load Trade with one
/// query per pending shipment per round and end up measuring that load; instead one poller asks, every round,
/// one GetTradeSeries per pair over the months its pending shipments have, and reads each month's count.
/// </summary>
public sealed class SeriesPoller(Clients clients)
{
    public const int IntervalMs = 10;
    private const int MaxMonthsPerCall = 600;
    private readonly ConcurrentDictionary<Flow, ConcurrentDictionary<int, Pending>> _pending = new();
    private long _calls, _errors;
    private string? _firstError;

    public string Stats => $"{Interlocked.Read(ref _calls):N0} GetTradeSeries calls, {Interlocked.Read(ref _errors):N0} failed{(_firstError is null ? "" : $" (first: {_firstError})")}";

    private sealed record Pending(long Before, TaskCompletionSource<long> Seen);

    public static int MonthIndex(Google.Type.Date month) => month.Year * 12 + month.Month - 1;

    /// <summary>Completes with the time of the first answer whose count for the month exceeds <paramref name="before"/>.</summary>
    public async Task<long> WaitAsync(Flow flow, Google.Type.Date month, long before, CancellationToken cancellationToken)
    {
        var months = _pending.GetOrAdd(flow, _ => new ConcurrentDictionary<int, Pending>());
        var pending = new Pending(before, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        var key = MonthIndex(month);
        months[key] = pending;
        try
        {
            return await pending.Seen.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            months.TryRemove(new KeyValuePair<int, Pending>(key, pending));
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var rounds = _pending.Where(p => !p.Value.IsEmpty).Select(p => PollAsync(p.Key, p.Value, stop)).ToList();
            await Task.WhenAll(rounds);
            try
            {
                await Task.Delay(IntervalMs, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PollAsync(Flow flow, ConcurrentDictionary<int, Pending> months, CancellationToken stop)
    {
        var keys = months.Keys.ToArray();
        if (keys.Length == 0) return;
        var first = keys.Min();
        var last = Math.Min(keys.Max(), first + MaxMonthsPerCall - 1);
        try
        {
            var series = await clients.Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
            {
                Country = flow.Exporter, Partner = flow.Importer,
                FirstMonth = Workload.Month(first / 12, first % 12 + 1), LastMonth = Workload.Month(last / 12, last % 12 + 1),
            }, clients.Call(TimeSpan.FromSeconds(10), stop));
            var at = Clock.Now;
            Interlocked.Increment(ref _calls);
            foreach (var m in series.Months)
            {
                if (months.TryGetValue(MonthIndex(m.Month), out var p) && m.Exports.ShipmentCount > p.Before) p.Seen.TrySetResult(at);
            }
        }
        catch (RpcException e)
        {
            Interlocked.Increment(ref _errors);
            Interlocked.CompareExchange(ref _firstError, $"{e.StatusCode} {e.Status.Detail}", null);
            // The next round asks again; a probe that never sees its shipment times out on its own.
        }
    }
}
