using System.Diagnostics;

namespace EnergyTrade.Benchmarks;

/// <summary>Latency distribution in milliseconds: exact nearest-rank percentiles over every sample.</summary>
public sealed record LatencySummary(int Count, double P50, double P90, double P99, double Max, double Mean)
{
    public static readonly LatencySummary Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    public static LatencySummary From(IEnumerable<double> samples)
    {
        var sorted = samples.ToArray();
        if (sorted.Length == 0) return Empty;
        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    /// <summary>Nearest-rank: the smallest sample with at least p of all samples at or below it.</summary>
    private static double Rank(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}

/// <summary>Collects samples from many workers without locking: one list per worker, merged at the end.</summary>
public sealed class LatencyRecorder
{
    private readonly List<List<double>> _lanes = [];
    private readonly List<double> _shared = [];

    public LatencyRecorder() => _lanes.Add(_shared);

    /// <summary>For occasional samples from anywhere (takes a lock).</summary>
    public void Add(double ms)
    {
        lock (_shared) _shared.Add(ms);
    }

    public List<double> NewLane(int capacity = 1024)
    {
        var lane = new List<double>(capacity);
        lock (_lanes) _lanes.Add(lane);
        return lane;
    }

    public LatencySummary Summarize()
    {
        lock (_lanes) lock (_shared) return LatencySummary.From(_lanes.SelectMany(l => l));
    }
}

public static class Clock
{
    public static long Now => Stopwatch.GetTimestamp();
    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
    public static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;
    public static long After(long from, TimeSpan span) => from + (long)(span.TotalSeconds * Stopwatch.Frequency);
}
