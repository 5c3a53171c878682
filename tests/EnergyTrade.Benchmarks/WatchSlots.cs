using EnergyTrade.Trade.V1;
using Grpc.Core;

namespace EnergyTrade.Benchmarks;

/// <summary>
/// Long-lived WatchBilateralTotals streams, one per (pair, month) slot, opened before the freshness
/// phase — the way a dashboard watches — recording every message with its arrival time. Several
/// shipments go to each slot in turn; when one became visible is worked out afterwards, exactly:
/// the k-th shipment of a slot is visible in the first message whose count shows at least k new
/// shipments and whose barrels equal the sum of exactly the first that-many of them. A message
/// showing a later shipment applied before an earlier one therefore counts for neither.
/// </summary>
public sealed class WatchSlots : IAsyncDisposable
{
    private readonly Slot[] _slots;
    private readonly CancellationTokenSource _stop = new();

    private WatchSlots(Slot[] slots) => _slots = slots;

    public int Count => _slots.Length;

    /// <summary>Opens every slot's watch and waits for its first message (the baseline).</summary>
    public static async Task<WatchSlots> OpenAsync(Clients clients, IReadOnlyList<(Flow Flow, Google.Type.Date Month)> slots,
        CancellationToken cancellationToken)
    {
        var opened = new Slot[slots.Count];
        using var gate = new SemaphoreSlim(64);
        var watches = new WatchSlots(opened);
        try
        {
            await Task.WhenAll(slots.Select(async (s, i) =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var query = Workload.Totals(s.Flow.Exporter, s.Flow.Importer, s.Month, s.Month);
                    var call = clients.Trade.WatchBilateralTotals(query, clients.Call(TimeSpan.FromHours(1), watches._stop.Token));
                    if (!await call.ResponseStream.MoveNext(cancellationToken)) throw new InvalidOperationException($"the watch of {s.Flow} ended before its first message");
                    var first = call.ResponseStream.Current.Exports;
                    opened[i] = new Slot(call, first.ShipmentCount, Workload.Parse(first.Barrels));
                    opened[i].Reader = opened[i].ReadAsync(watches._stop.Token);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        catch
        {
            await watches.DisposeAsync();
            throw;
        }
        return watches;
    }

    /// <summary>Waits until every slot shows at least its expected number of new shipments, or the timeout passes.</summary>
    public async Task<bool> WaitForAsync(IReadOnlyList<int> expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Clock.After(Clock.Now, timeout);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_slots.Select((s, i) => s.Latest - s.BaseCount >= expected[i]).All(done => done)) return true;
            if (Clock.Now > deadline) return false;
            await Task.Delay(20, cancellationToken);
        }
        return false;
    }

    /// <summary>The first watch that failed while the phase ran, if any.</summary>
    public string? FirstError => _slots.Select(s => s.Error).FirstOrDefault(e => e is not null);

    /// <summary>
    /// When each of a slot's shipments became visible (Stopwatch timestamps; null if never), given the
    /// barrels of its shipments in the order they were created.
    /// </summary>

    public long?[] VisibleAt(int slot, IReadOnlyList<decimal> barrels)
    {
        var s = _slots[slot];
        var prefix = new decimal[barrels.Count + 1];
        for (var k = 0; k < barrels.Count; k++) prefix[k + 1] = prefix[k] + barrels[k];
        var visible = new long?[barrels.Count];
        var shown = 0;
        foreach (var (at, count, total) in s.Messages())
        {
            var n = (int)Math.Min(count - s.BaseCount, barrels.Count);
            if (n <= shown || total - s.BaseBarrels != prefix[n]) continue;
            for (var k = shown; k < n; k++) visible[k] = at;
            shown = n;
        }
        return visible;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var slot in _slots.Where(s => s is not null))
        {
            if (slot.Reader is not null) await slot.Reader;
            slot.Call.Dispose();
        }
        _stop.Dispose();
    }

    private sealed class Slot(AsyncServerStreamingCall<BilateralTotals> call, long baseCount, decimal baseBarrels)
    {
        private readonly List<(long At, long Count, decimal Barrels)> _messages = [];
        private long _latest = baseCount;

        public AsyncServerStreamingCall<BilateralTotals> Call { get; } = call;
        public long BaseCount { get; } = baseCount;
        public decimal BaseBarrels { get; } = baseBarrels;
        public Task? Reader { get; set; }
        public long Latest => Interlocked.Read(ref _latest);
        public string? Error { get; private set; }

        public List<(long At, long Count, decimal Barrels)> Messages()
        {
            lock (_messages) return [.. _messages];
        }

        public async Task ReadAsync(CancellationToken stop)
        {
            try
            {
                while (await Call.ResponseStream.MoveNext(stop))
                {
                    var at = Clock.Now;
                    var exports = Call.ResponseStream.Current.Exports;
                    lock (_messages) _messages.Add((at, exports.ShipmentCount, Workload.Parse(exports.Barrels)));
                    Interlocked.Exchange(ref _latest, exports.ShipmentCount);
                }
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                Error = e is RpcException r ? $"{r.StatusCode} {r.Status.Detail}" : e.Message;
            }
        }
    }
}
