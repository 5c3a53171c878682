using Grpc.Core;

namespace EnergyTrade.Cli.Grpc;

/// <summary>
/// Makes every unary call the same way: a deadline on each attempt, retries where the policy allows
/// (waiting on <paramref name="clock"/>), and a <see cref="ServiceCallException"/> naming the service
/// when the call fails for good.
/// </summary>
public sealed class ServiceCaller(TimeSpan timeout, TimeProvider clock)
{
    public TimeSpan Timeout => timeout;

    public async Task<T> CallAsync<T>(ServiceEndpoint endpoint, Func<CallOptions, AsyncUnaryCall<T>> call, RetryPolicy retry,
        CancellationToken cancellationToken, Action<Metadata>? onResponseHeaders = null, bool writes = false,
        Action<RpcException, TimeSpan>? onRetry = null, string? outcomeUnknown = null)
    {
        var attempts = 0;
        try
        {
            return await retry.Pipeline(clock, onRetry).ExecuteAsync(async token =>
            {
                attempts++;
                var options = new CallOptions(deadline: DateTime.UtcNow + timeout, cancellationToken: token);
                try
                {
                    using var pending = call(options);
                    var response = await pending.ResponseAsync.ConfigureAwait(false);
                    if (onResponseHeaders is not null) onResponseHeaders(await pending.ResponseHeadersAsync.ConfigureAwait(false));
                    return response;
                }
                catch (RpcException error) when (error.StatusCode == StatusCode.Cancelled && token.IsCancellationRequested)
                {
                    throw new OperationCanceledException("Cancelled.", error, token);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            // Not transient, or the attempts ran out.
            throw new ServiceCallException(endpoint, timeout, attempts, error, writes, outcomeUnknown);
        }
    }
}
