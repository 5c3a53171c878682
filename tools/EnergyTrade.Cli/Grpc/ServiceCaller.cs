using Grpc.Core;

namespace EnergyTrade.Cli.Grpc;

/// <summary>
/// Makes every unary call the same way: a deadline on each attempt, retries where the policy allows,
/// and a <see cref="ServiceCallException"/> naming the service when the call fails for good.
/// </summary>
public sealed class ServiceCaller(TimeSpan timeout, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;

    public TimeSpan Timeout => timeout;

    public async Task<T> CallAsync<T>(ServiceEndpoint endpoint, Func<CallOptions, AsyncUnaryCall<T>> call, RetryPolicy retry,
        CancellationToken cancellationToken, Action<Metadata>? onResponseHeaders = null, bool writes = false,
        Action<RpcException, TimeSpan>? onRetry = null, string? outcomeUnknown = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var options = new CallOptions(deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);
            try
            {
                using var pending = call(options);
                var response = await pending.ResponseAsync.ConfigureAwait(false);
                if (onResponseHeaders is not null) onResponseHeaders(await pending.ResponseHeadersAsync.ConfigureAwait(false));
                return response;
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("Cancelled.", error, cancellationToken);
            }
            catch (RpcException error)
            {
                if (retry.NextDelay(error, attempt, Random.Shared.NextDouble()) is not { } wait)
                {
                    throw new ServiceCallException(endpoint, timeout, attempt, error, writes, outcomeUnknown);
                }
                onRetry?.Invoke(error, wait);
                await _delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
