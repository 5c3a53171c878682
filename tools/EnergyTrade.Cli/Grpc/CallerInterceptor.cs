using Grpc.Core;
using Grpc.Core.Interceptors;

namespace EnergyTrade.Cli.Grpc;

/// <summary>
/// Sends every unary call of a generated client through <see cref="ServiceCaller"/>: a deadline per
/// attempt, retries where the policy allows, and a <see cref="ServiceCallException"/> naming the service
/// when it fails for good. For library code (the Reconciler) that calls the clients itself.
/// </summary>
public sealed class CallerInterceptor(ServiceCaller caller, ServiceEndpoint endpoint, RetryPolicy retry) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var response = caller.CallAsync(endpoint, attempt =>
        {
            // Headers of their own for each attempt, so nothing added to them (the token) is added twice.
            var headers = new Metadata();
            foreach (var entry in context.Options.Headers ?? []) headers.Add(entry);
            return continuation(request, new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, attempt.WithHeaders(headers)));
        }, retry, context.Options.CancellationToken);
        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }
}
