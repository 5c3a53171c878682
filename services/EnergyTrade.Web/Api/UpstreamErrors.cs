using Grpc.Core;

namespace EnergyTrade.Web.Api;

/// <summary>
/// The page's API answers JSON errors the browser shows as they are: what was wrong with the query
/// (400, with the service's own words) or that a service is unreachable (503).
/// </summary>
public static partial class UpstreamErrors
{
    public static IApplicationBuilder UseUpstreamErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (BadQueryException e) when (!context.Response.HasStarted)
        {
            await Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
        }
        catch (RpcException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The browser went (a new selection aborts the last load): nobody to answer.
        }
        catch (RpcException e) when (!context.Response.HasStarted)
        {
            var (status, message) = e.StatusCode switch
            {
                StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => (StatusCodes.Status400BadRequest, e.Status.Detail),
                StatusCode.NotFound => (StatusCodes.Status404NotFound, e.Status.Detail),
                StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted =>
                    (StatusCodes.Status503ServiceUnavailable, "The trade services are not answering; try again in a moment."),
                _ => (StatusCodes.Status502BadGateway, "The trade services refused the page's call; the page's log says why."),
            };
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EnergyTrade.Web");
            UpstreamFailed(logger, context.Request.Path, e.StatusCode, e.Status.Detail);
            await Results.Json(new { error = message }, statusCode: status).ExecuteAsync(context);
        }
    });

    [LoggerMessage(1, LogLevel.Warning, "{Path} failed upstream: {StatusCode} {Detail}")]
    private static partial void UpstreamFailed(ILogger logger, string path, StatusCode statusCode, string detail);
}
