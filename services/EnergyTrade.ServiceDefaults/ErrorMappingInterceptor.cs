using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using EnergyTrade.Persistence;

namespace EnergyTrade.ServiceDefaults;

/// <summary>
/// Turns exceptions that escape a gRPC method into precise statuses: a database or broker that
/// cannot be reached is UNAVAILABLE (the client should retry), anything unexpected is INTERNAL
/// with a trace id and never a stack trace.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    private RpcException Map(Exception ex, ServerCallContext context)
    {
        if (ex is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled or its deadline passed."));
        }

        if (ex is FigureOutOfRangeException tooLarge)
        {
            return RpcErrors.OutOfRange($"{tooLarge.Message} Ask for fewer months or a single direction.", "FIGURE_OUT_OF_RANGE");
        }

        if (ex is ShuttingDownException stopping)
        {
            return RpcErrors.Unavailable($"{stopping.Message} Retry (with the same request_id for a create): another replica, or this one once restarted, will answer.", "SHUTTING_DOWN");
        }

        if (ex is WriteOutcomeUnknownException)
        {
            logger.LogWarning(ex, "{Method} lost its database connection while committing; the outcome is unknown", context.Method);
            return RpcErrors.Unavailable(
                "The database connection was lost while this change was being committed, so it may or may not have been recorded. " +
                "Retry with the same request_id: a create that was recorded is answered with the original shipment. " +
                "For an update or a cancellation, get the shipment first and check its version.",
                "OUTCOME_UNKNOWN");
        }

        if (TransientFailures.IsTransient(ex))
        {
            logger.LogWarning(ex, "{Method} failed because a dependency is unavailable", context.Method);
            return RpcErrors.Unavailable(
                "A dependency (database) is unavailable right now; this call changed nothing. Retry it (with the same request_id for a create).",
                "DEPENDENCY_UNAVAILABLE");
        }

        var traceId = Activity.Current?.TraceId.ToString() ?? context.GetHttpContext().TraceIdentifier;
        logger.LogError(ex, "{Method} failed unexpectedly (trace {TraceId})", context.Method, traceId);
        return RpcErrors.Internal(traceId);
    }
}
