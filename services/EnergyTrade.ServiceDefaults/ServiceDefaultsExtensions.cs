using System.IO.Compression;
using EnergyTrade.ServiceDefaults.Compression;
using Grpc.Net.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using EnergyTrade.ServiceDefaults.Security;
using Microsoft.Extensions.Logging;

namespace EnergyTrade.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";
    public const string LiveTag = "live";

    /// <summary>Largest request body accepted by any gRPC method.</summary>
    public const int MaxReceiveMessageBytes = 256 * 1024;

    /// <summary>Structured JSON logs, gRPC with error mapping, reflection and health: the same in every service.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.AddStructuredLogging();
        builder.AddTelemetry(serviceName);
        builder.AddSecurity();
        builder.AddMutualTls();

        builder.Services.AddGrpc(options =>
        {
            options.Interceptors.Add<ErrorMappingInterceptor>();
            options.MaxReceiveMessageSize = MaxReceiveMessageBytes;
            // Inflating stops past the limit too, whatever grpc-dotnet itself checks (see BoundedCompressionProvider).
            // A new list, never an empty one: grpc-dotnet fills an empty list with its own gzip and deflate, and
            // the first provider of a name wins. deflate stays, bounded the same way, so clients that pick it keep working.
            options.CompressionProviders =
            [
                new BoundedCompressionProvider(new GzipCompressionProvider(CompressionLevel.Fastest), MaxReceiveMessageBytes),
                new BoundedCompressionProvider(new DeflateCompressionProvider(CompressionLevel.Fastest), MaxReceiveMessageBytes),
            ];
            options.EnableDetailedErrors = false;
        }).AddJsonTranscoding(o =>
        {
            // Read methods and batch creates also answer HTTP/JSON (google.api.http in the protos) for curl users; error
            // details are google.rpc messages the JSON writer must know to render.
            o.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(
                Google.Rpc.ErrorInfo.Descriptor, Google.Rpc.BadRequest.Descriptor, Google.Rpc.ResourceInfo.Descriptor,
                Google.Rpc.RetryInfo.Descriptor, Google.Rpc.PreconditionFailure.Descriptor);
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddHealthStatusMetrics();
        builder.Services.AddGrpcHealthChecks(options =>
        {
            // The gRPC health protocol's overall status ("") follows readiness, like /health/ready.
            options.Services.Map("", result => result.Tags.Contains(ReadyTag));
        });
        return builder;
    }

    /// <summary>JSON lines on the console, with trace and span ids: what every EnergyTrade process writes.</summary>
    public static IHostApplicationBuilder AddStructuredLogging(this IHostApplicationBuilder builder)
    {
        // The console first: ClearProviders removes every provider registered before it, OpenTelemetry's included.
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        return builder;
    }

    /// <summary>
    /// Security middleware, then /health/live (process is up), /health/ready (dependencies reachable),
    /// gRPC health (anonymous, like HTTP health), reflection (needs a token) and /metrics (anonymous, for scrapers).
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        // Outside the rate limiter, whose refusals (RESOURCE_EXHAUSTED, HTTP 200) end the pipeline there.
        app.UseGrpcStatusMetricTag();
        app.UseSecurity();
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResponseWriter = HealthReportJson.WriteAsync,
        }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportJson.WriteAsync,
        }).AllowAnonymous();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService();
        app.MapMetrics().AllowAnonymous();
        return app;
    }
}
