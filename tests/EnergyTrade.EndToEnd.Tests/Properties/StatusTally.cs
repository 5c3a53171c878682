using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>How many requests got which status, for the summary line.</summary>
public sealed class StatusTally
{
    public const string RateLimited = "RESOURCE_EXHAUSTED(rate limit, retried)";

    private readonly ConcurrentDictionary<string, long> _counts = new();
    private long _requests;

    public long Requests => Interlocked.Read(ref _requests);

    public long this[string status] => _counts.GetValueOrDefault(status);

    public void Count(StatusCode code)
    {
        Interlocked.Increment(ref _requests);
        _counts.AddOrUpdate(Name(code), 1, (_, n) => n + 1);
    }

    public void CountRateLimited() => _counts.AddOrUpdate(RateLimited, 1, (_, n) => n + 1);

    public void Add(StatusTally other)
    {
        Interlocked.Add(ref _requests, other.Requests);
        foreach (var (status, n) in other._counts) _counts.AddOrUpdate(status, n, (_, m) => m + n);
    }

    public static string Name(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.Aborted => "ABORTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unknown => "UNKNOWN",
        _ => code.ToString().ToUpperInvariant(),
    };

    /// <summary>"requests 700, OK 312, INVALID_ARGUMENT 350, …", OK first, then by count.</summary>
    public override string ToString()
    {
        var parts = _counts.OrderBy(c => c.Key == "OK" ? 0 : 1).ThenByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"{c.Key} {c.Value.ToString("N0", CultureInfo.InvariantCulture)}");
        return $"requests {Requests.ToString("N0", CultureInfo.InvariantCulture)}, {string.Join(", ", parts)}";
    }
}
