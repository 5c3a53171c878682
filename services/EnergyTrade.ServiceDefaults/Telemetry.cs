using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EnergyTrade.ServiceDefaults;

/// <summary>
/// Traces, metrics and logs. One trace follows a shipment from the CreateShipment call through the outbox,
/// RabbitMQ and Trade's consumer to the totals update. Metrics are scraped at /metrics (Prometheus);
/// when OTEL_EXPORTER_OTLP_ENDPOINT is set, traces, metrics and logs (as well as the console's) are
/// also exported over OTLP.
/// </summary>
public static class Telemetry
{
    /// <summary>Activities and instruments of EnergyTrade's own code (outbox relay, totals).</summary>
    public const string SourceName = "EnergyTrade";
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>MassTransit's ActivitySource and Meter name.</summary>
    private const string MassTransit = "MassTransit";

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: Environment.MachineName + "-" + Environment.ProcessId))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(SourceName, MassTransit)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                        !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/metrics"))
                    .AddGrpcClientInstrumentation()
                    .AddNpgsql();
                // With nowhere to send spans, record none: trace context still flows (W3C headers, the
                // outbox's traceparent, log scopes) at almost no cost on the hot path.
                if (otlp) tracing.AddOtlpExporter();
                else tracing.SetSampler(new ParentBasedSampler(new AlwaysOffSampler()));
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(SourceName, MassTransit)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
        if (otlp)
        {
            // Added after the console provider and never cleared: ClearProviders would remove this one too.
            builder.Services.AddOpenTelemetry().WithLogging(logging => logging.AddOtlpExporter(), options =>
            {
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = true;
            });
        }
        return builder;
    }

    /// <summary>Starts an activity continuing a trace stored as a W3C traceparent (e.g. with an outbox row).</summary>
    public static Activity? StartContinuation(string name, ActivityKind kind, string? traceParent, IEnumerable<string?>? linkedTraceParents = null)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        var links = linkedTraceParents?
            .Select(tp => ActivityContext.TryParse(tp, null, out var c) ? new ActivityLink(c) : default)
            .Where(l => l.Context != default)
            .ToList();
        return Source.StartActivity(name, kind, parent, links: links);
    }

    public static IEndpointConventionBuilder MapMetrics(this WebApplication app) => app.MapPrometheusScrapingEndpoint("/metrics");
}
