using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EnergyTrade.ServiceDefaults;

/// <summary>
/// Adds the gRPC status to ASP.NET Core's request duration metric (grpc.status_code, as
/// grpc_status_code in Prometheus): every gRPC call answers HTTP 200, so without it a failed call is
/// indistinguishable from a good one. The method is already there, as http.route.
/// </summary>
public static class GrpcStatusMetricTag
{
    public const string Tag = "grpc.status_code";

    public static IApplicationBuilder UseGrpcStatusMetricTag(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        // The duration is recorded when the request ends, after this: a tag added now is on it.
        if (context.Features.Get<IHttpMetricsTagsFeature>() is not { } metrics) return;
        // A call that ends with no message has its status in the headers ("trailers-only"), others in the trailers.
        var status = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"] ?? default;
        if (status.Count == 0) status = context.Response.Headers["grpc-status"];
        if (status.Count > 0) metrics.Tags.Add(new(Tag, status.ToString()));
    });
}
