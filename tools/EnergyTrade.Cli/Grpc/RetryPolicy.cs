using System.Globalization;
using Google.Rpc;
using Grpc.Core;

namespace EnergyTrade.Cli.Grpc;

/// <summary>
/// Which failures are worth another attempt and how long to wait. Only calls that are safe to repeat
/// use it: reads, creates that carry a request_id (the service returns the original shipment), cancels
/// (cancelling twice changes nothing), amendments sent against a version (a repeat cannot apply twice) and
/// republishing (Trade ignores versions it holds).
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay)
{
    /// <summary>A person is waiting: ride out a blip of a second or two, then say what is wrong.</summary>
    public static readonly RetryPolicy Interactive = new(3, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1));

    /// <summary>An import should survive a service restart or a database fail-over of half a minute.</summary>
    public static readonly RetryPolicy Import = new(8, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(8));

    /// <summary>A watch runs for hours: ride out a restart of Trade, as an import does.</summary>
    public static readonly RetryPolicy Watch = Import;

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1, or null when the failure is final.</summary>
    public TimeSpan? NextDelay(RpcException error, int attempt, double jitter)
    {
        if (attempt >= MaxAttempts || !IsTransient(error)) return null;
        // Exponential backoff with jitter (0.5–1×), so many importers do not retry in lockstep.
        var backoff = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, InitialDelay.Ticks << Math.Min(attempt - 1, 20)));
        backoff = TimeSpan.FromTicks((long)(backoff.Ticks * (0.5 + jitter / 2)));
        // The server knows best when it will be back.
        var asked = ServerDelay(error);
        return asked is { } wait && wait > backoff ? wait : backoff;
    }

    /// <summary>
    /// UNAVAILABLE: the service or its database could not be reached. The call changed nothing, or
    /// (reason OUTCOME_UNKNOWN) a write may have committed before the connection broke — which only the
    /// calls that are safe to repeat tolerate, and only they use a retry policy.
    /// RESOURCE_EXHAUSTED with retry-after: a rate limit, unlike an oversized message, which would fail again.
    /// </summary>
    public static bool IsTransient(RpcException error) =>
        error.StatusCode == StatusCode.Unavailable
        || (error.StatusCode == StatusCode.ResourceExhausted && RetryAfter(error) is not null);

    private static TimeSpan? ServerDelay(RpcException error)
    {
        var retryInfo = error.GetRpcStatus()?.GetDetail<RetryInfo>();
        if (retryInfo?.RetryDelay is { } delay) return delay.ToTimeSpan();
        return RetryAfter(error);
    }

    private static TimeSpan? RetryAfter(RpcException error) =>
        error.Trailers.GetValue("retry-after") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
