using Polly;
using Polly.Retry;

namespace EnergyTrade.Persistence;

/// <summary>
/// The one retry policy of the services' background loops (outbox relay, republish worker, change
/// feed, start-up migration): exponential backoff from half a second up to a cap, with jitter so
/// replicas do not retry in lockstep, for as long as the service runs. Each round of work is one
/// execution, so the backoff starts afresh after every success.
/// </summary>
public static class BackgroundRetry
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);

    /// <param name="maxDelay">The longest wait between attempts.</param>
    /// <param name="handles">Which failures are retried; null for every one but the service stopping.</param>
    /// <param name="onRetry">Called before each wait with the failure, the attempt that failed (1 for the first) and the wait.</param>
    public static ResiliencePipeline Create(TimeSpan maxDelay, TimeProvider time, Action<Exception, int, TimeSpan> onRetry,
        Func<Exception, bool>? handles = null) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // Anything but the service stopping: a timeout deep in a library can surface as a cancellation too.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex
                    && !(ex is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)
                    && (handles?.Invoke(ex) ?? true)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstDelay,
                MaxDelay = maxDelay,
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception!, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .Build();
}
