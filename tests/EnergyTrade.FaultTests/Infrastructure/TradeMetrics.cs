using System.Collections.Concurrent;
using System.Globalization;
using EnergyTrade.Testing;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>Trade's own event counters, as exported at /metrics (Prometheus text format).</summary>
public readonly record struct EventCounters(long Applied, long Ignored, long Rejected)
{
    public static EventCounters operator +(EventCounters a, EventCounters b) => new(a.Applied + b.Applied, a.Ignored + b.Ignored, a.Rejected + b.Rejected);

    public override string ToString() => $"applied {Applied}, ignored (duplicates/stale absorbed) {Ignored}, rejected {Rejected}";
}

/// <summary>
/// Scrapes every Trade process of a case twice a second and keeps each one's last reading. A process
/// killed with SIGKILL loses whatever it counted after its last scrape, so the sums are lower bounds;
/// for processes that exit gracefully they are exact up to the final half second.
/// </summary>
public sealed class TradeMetrics : IAsyncDisposable
{
    private readonly Func<IEnumerable<ServiceProcess>> _processes;
    private readonly ConcurrentDictionary<int, EventCounters> _last = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TradeMetrics(Func<IEnumerable<ServiceProcess>> processes)
    {
        _processes = processes;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>False until some Trade process has exported the counters (older builds do not).</summary>
    public bool Available { get; private set; }

    public EventCounters Total => _last.Values.Aggregate(default(EventCounters), (a, b) => a + b);

    public EventCounters Of(ServiceProcess process) => _last.GetValueOrDefault(process.Pid);

    /// <summary>Reads one process now (e.g. just before stopping it).</summary>
    public async Task<EventCounters?> ScrapeAsync(ServiceProcess process, CancellationToken cancellationToken = default)
    {
        if (process.HasExited) return null;
        try
        {
            var text = await _http.GetStringAsync(new Uri(process.HttpUrl, "/metrics"), cancellationToken);
            var counters = new EventCounters(Sum(text, "energytrade_events_applied"), Sum(text, "energytrade_events_ignored"), Sum(text, "energytrade_events_rejected"));
            if (text.Contains("energytrade_events_", StringComparison.Ordinal)) Available = true;
            _last[process.Pid] = counters;
            return counters;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return null;
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var process in _processes().ToList())
            {
                await ScrapeAsync(process, _stop.Token);
            }
            try
            {
                await Task.Delay(500, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sums every sample of a counter family (any labels) in Prometheus text format.</summary>
    private static long Sum(string text, string family)
    {
        decimal total = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || !line.StartsWith(family, StringComparison.Ordinal)) continue;
            var rest = line[family.Length..];
            var nameEnd = rest.IndexOfAny(['{', ' ']);
            if (nameEnd < 0 || !rest[..nameEnd].EndsWith("_total", StringComparison.Ordinal) && rest[..nameEnd].Length > 0) continue;
            var valueStart = rest[nameEnd] == '{' ? rest.IndexOf('}', nameEnd) + 1 : nameEnd;
            var value = rest[valueStart..].Trim().Split(' ')[0];
            if (decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) total += v;
        }
        return (long)total;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _http.Dispose();
        _stop.Dispose();
    }
}
