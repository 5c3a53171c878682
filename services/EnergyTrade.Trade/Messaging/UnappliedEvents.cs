using System.Collections.Concurrent;

namespace EnergyTrade.Trade.Messaging;

/// <summary>
/// The shipment events this process has received and not yet finished with (applied, or moved to _error),
/// so their age can be watched while they are still held: a consumer that hangs or retries for ever
/// applies nothing, and a lag measured only after each apply would say nothing about it.
/// </summary>
public sealed class UnappliedEvents
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _held = new();
    private long _next;

    /// <summary>Holds an event that occurred at <paramref name="occurredAt"/> until the returned handle is disposed.</summary>
    public IDisposable Hold(DateTimeOffset occurredAt)
    {
        var key = Interlocked.Increment(ref _next);
        _held[key] = occurredAt;
        return new Release(this, key);
    }

    public int Count => _held.Count;

    /// <summary>How long ago the oldest held event occurred; zero when none is held (or the clocks disagree).</summary>
    public TimeSpan OldestAge(DateTimeOffset now)
    {
        var oldest = DateTimeOffset.MaxValue;
        foreach (var (_, occurredAt) in _held)
        {
            if (occurredAt < oldest) oldest = occurredAt;
        }
        return oldest == DateTimeOffset.MaxValue || oldest >= now ? TimeSpan.Zero : now - oldest;
    }

    private sealed class Release(UnappliedEvents owner, long key) : IDisposable
    {
        public void Dispose() => owner._held.TryRemove(key, out _);
    }
}
