using System.Collections.Concurrent;
using EnergyTrade.Trade.Totals;
using Microsoft.Extensions.Options;
using V1 = EnergyTrade.Trade.V1;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>Configuration section "TotalsCache".</summary>
public sealed class TotalsCacheOptions
{
    public const string Section = "TotalsCache";

    public bool Enabled { get; set; } = true;

    /// <summary>Answers kept at most; reaching it empties the cache (it refills with what is asked for).</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>
    /// The longest an answer is reused. Notifications keep answers fresh; this bounds the damage if
    /// one were lost without the feed noticing (a silently dropped connection, until its idle check).
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Bilateral totals answered from memory. An answer is dropped the moment PostgreSQL notifies a
/// committed change to one of its flows and months — the same notifications that wake watches, from
/// whichever replica applied the change — and only while this replica is listening for them;
/// otherwise every call reads the database. Concurrent calls for the same totals share one read.
/// <para>
/// Why it is never stale beyond the notification's own delay: an entry is in the cache before its
/// read starts, and every change is notified only after it commits, so a read that could have missed
/// a change is always still there to be dropped when that change's notification arrives; watchers are
/// woken only after the drop.
/// </para>
/// </summary>
public sealed class TotalsCache
{
    private readonly TotalsReader _reader;
    private readonly TotalsChangeFeed _feed;
    private readonly TimeProvider _time;
    private readonly TotalsCacheOptions _options;
    // Entries grouped by unordered pair and basis, or for WORLD and groups by country and basis: a
    // change names flows, which map to a few such groups each.
    private readonly ConcurrentDictionary<(Basis, string, string), ConcurrentDictionary<PairQuery, Entry>> _pairs = new();
    private int _count;

    public TotalsCache(TotalsReader reader, TotalsChangeFeed feed, TimeProvider time, IOptions<TotalsCacheOptions> options)
    {
        _reader = reader;
        _feed = feed;
        _time = time;
        _options = options.Value;
        feed.OnChange(Invalidate);
    }

    /// <summary>A pair's totals and the answer built from them; shared between callers, so never modified.</summary>
    public sealed record Answer(PairTotals Totals, V1.BilateralTotals Proto);

    public async Task<Answer> GetAsync(PairQuery q, CancellationToken cancellationToken)
    {
        // The epoch first: if listening stops after it was read, the epoch moves on and nothing read now is kept.
        var epoch = _feed.Epoch;
        if (!_options.Enabled || !_feed.IsListening) return await ReadAsync(q, cancellationToken);

        var pair = _pairs.GetOrAdd(q.Partners is null ? PairOf(q.Basis, q.Country, q.Partner) : SetsOf(q.Basis, q.Country), _ => new());
        while (true)
        {
            var now = _time.GetTimestamp();
            if (pair.TryGetValue(q, out var entry))
            {
                if (entry.Epoch == epoch && _time.GetElapsedTime(entry.Created, now) <= _options.MaxAge) return await entry.Answer.Task.WaitAsync(cancellationToken);
                Remove(pair, entry);
                continue;
            }
            entry = new Entry(q, now, epoch);
            if (!pair.TryAdd(q, entry)) continue;
            if (Interlocked.Increment(ref _count) > _options.MaxEntries) Clear();
            _ = LoadAsync(pair, entry);
            return await entry.Answer.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Drops every answer the change may have made wrong. Runs on the feed's thread before any watcher wakes.</summary>
    private void Invalidate(TotalsChange change)
    {
        if (change.IsEverything)
        {
            Clear();
            return;
        }
        foreach (var flow in change.Flows)
        {
            var months = change.MonthsOf(flow);
            Drop(PairOf(Basis.Commercial, flow.Exporter, flow.Importer), flow, months);
            Drop(PairOf(Basis.Origin, flow.Origin, flow.Importer), flow, months);
            Drop(SetsOf(Basis.Commercial, flow.Exporter), flow, months);
            Drop(SetsOf(Basis.Commercial, flow.Importer), flow, months);
            Drop(SetsOf(Basis.Origin, flow.Origin), flow, months);
            Drop(SetsOf(Basis.Origin, flow.Importer), flow, months);
        }
    }

    private void Drop((Basis, string, string) key, TotalsFlow flow, IReadOnlySet<DateOnly>? months)
    {
        if (!_pairs.TryGetValue(key, out var pair)) return;
        foreach (var (q, entry) in pair)
        {
            if (q.Concerns(flow) && (months is null || months.Any(q.MayChangeIn)))
            {
                Remove(pair, entry);
            }
        }
    }

    private void Clear()
    {
        foreach (var pair in _pairs.Values)
        {
            foreach (var entry in pair.Values) Remove(pair, entry);
        }
    }

    private void Remove(ConcurrentDictionary<PairQuery, Entry> pair, Entry entry)
    {
        if (pair.TryRemove(KeyValuePair.Create(entry.Query, entry))) Interlocked.Decrement(ref _count);
    }

    private async Task LoadAsync(ConcurrentDictionary<PairQuery, Entry> pair, Entry entry)
    {
        try
        {
            // Not the first caller's token: other callers wait on this read too.
            var answer = await ReadAsync(entry.Query, CancellationToken.None);
            // Re-checked once filled: had listening stopped or restarted meanwhile, a change may have been
            // missed, and the Clear that came with it may have run before this entry was added. The answer
            // is as fresh as a direct read for those already waiting, but it is not kept.
            if (_feed.Epoch != entry.Epoch || !_feed.IsListening) Remove(pair, entry);
            entry.Answer.TrySetResult(answer);
        }
        catch (Exception ex)
        {
            Remove(pair, entry);
            entry.Answer.TrySetException(ex);
        }
    }

    private async Task<Answer> ReadAsync(PairQuery q, CancellationToken cancellationToken)
    {
        var totals = await _reader.ReadAsync(q, cancellationToken);
        return new Answer(totals, totals.ToProto());
    }

    /// <summary>The group of a pair's entries: either order of the two countries, one basis.</summary>
    private static (Basis, string, string) PairOf(Basis basis, string a, string b) =>
        string.CompareOrdinal(a, b) <= 0 ? (basis, a, b) : (basis, b, a);

    /// <summary>The group of a country's entries with WORLD and groups of countries, one basis; "*" is no country code.</summary>
    private static (Basis, string, string) SetsOf(Basis basis, string country) => (basis, country, "*");

    private sealed class Entry(PairQuery query, long created, long epoch)
    {
        public PairQuery Query { get; } = query;
        public long Created { get; } = created;
        /// <summary>The feed's epoch when the entry was made: it answers only while listening continues unbroken.</summary>
        public long Epoch { get; } = epoch;
        public TaskCompletionSource<Answer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
