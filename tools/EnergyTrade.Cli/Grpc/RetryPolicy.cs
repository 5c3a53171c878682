using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using Polly;
using Polly.Retry;

namespace EnergyTrade.Cli.Grpc;

/// <summary>
/// Which failures are worth another attempt and how long to wait. Only calls that are safe to repeat
/// use it: reads, creates that carry a request_id (the service returns the original shipment), cancels
/// (cancelling twice changes nothing), amendments sent against a version (a repeat cannot apply twice) and
/// republishing (Trade ignores versions it holds). Polly makes the attempts; this record says how many and how far apart.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay)
{
    /// <summary>A person is waiting: ride out a blip of a second or two, then say what is wrong.</summary>
    public static readonly RetryPolicy Interactive = new(3, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1));

    /// <summary>An import should survive a service restart or a database fail-over of half a minute.</summary>
    public static readonly RetryPolicy Import = new(8, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(8));

    /// <summary>A watch runs for hours: ride out a restart of Trade, as an import does.</summary>
    public static readonly RetryPolicy Watch = Import;

    /// <summary>
    /// Polly's retry for this policy: <see cref="MaxAttempts"/> attempts in all (at least two), transient failures only,
    /// exponential backoff from <see cref="InitialDelay"/> with jitter, so many importers do not retry in lockstep,
    /// capped at <see cref="MaxDelay"/>. <paramref name="onRetry"/> hears of each failure that will be retried, and the wait.
    /// </summary>
    public RetryStrategyOptions Options(Action<RpcException, TimeSpan>? onRetry = null) => new()
    {
        MaxRetryAttempts = MaxAttempts - 1,
        ShouldHandle = new PredicateBuilder().Handle<RpcException>(IsTransient),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = InitialDelay,
        MaxDelay = MaxDelay,
        // The server knows best when it will be back: its RetryInfo or retry-after replaces the backoff (and MaxDelay).
        DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is RpcException error ? ServerDelay(error) : null),
        OnRetry = onRetry is null ? null : args =>
        {
            onRetry((RpcException)args.Outcome.Exception!, args.RetryDelay);
            return ValueTask.CompletedTask;
        },
    };

    /// <summary>The attempts of <see cref="Options"/>, waiting on <paramref name="clock"/> between them.</summary>
    public ResiliencePipeline Pipeline(TimeProvider clock, Action<RpcException, TimeSpan>? onRetry = null) =>
        new ResiliencePipelineBuilder { TimeProvider = clock }.AddRetry(Options(onRetry)).Build();

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
