using System.Collections.Concurrent;
using EnergyTrade.Testing.Otlp;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EnergyTrade.Testing;

/// <summary>
/// An in-memory OTLP/gRPC collector: services started with OTEL_EXPORTER_OTLP_ENDPOINT pointing
/// here export their spans into <see cref="Spans"/> and their log records into <see cref="Logs"/>,
/// so a test can follow one trace across processes and find the lines logged in it.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, Uri endpoint, ConcurrentQueue<ReceivedSpan> spans, ConcurrentQueue<ReceivedLog> logs)
    {
        _app = app;
        Endpoint = endpoint;
        Spans = spans;
        Logs = logs;
    }

    public Uri Endpoint { get; }
    public ConcurrentQueue<ReceivedSpan> Spans { get; }
    public ConcurrentQueue<ReceivedLog> Logs { get; }

    /// <summary>Environment for a service process to export here quickly.</summary>
    public IReadOnlyDictionary<string, string> ExporterEnvironment => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
    };

    public static async Task<OtlpReceiver> StartAsync()
    {
        var port = ServiceProcess.FreePort();
        var spans = new ConcurrentQueue<ReceivedSpan>();
        var logs = new ConcurrentQueue<ReceivedLog>();
        var builder = IsolatedWebApplication.CreateBuilder(port, HttpProtocols.Http2);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(spans);
        builder.Services.AddSingleton(logs);
        var app = builder.Build();
        app.MapGrpcService<TraceCollector>();
        app.MapGrpcService<MetricsCollector>();
        app.MapGrpcService<LogsCollector>();
        await app.StartAsync();
        return new OtlpReceiver(app, new Uri($"http://localhost:{port}"), spans, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class TraceCollector(ConcurrentQueue<ReceivedSpan> spans) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            foreach (var resource in request.ResourceSpans)
            {
                var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "";
                foreach (var span in resource.ScopeSpans.SelectMany(s => s.Spans))
                {
                    spans.Enqueue(new ReceivedSpan(service, span.Name, Convert.ToHexStringLower(span.TraceId.Span),
                        Convert.ToHexStringLower(span.SpanId.Span), Convert.ToHexStringLower(span.ParentSpanId.Span),
                        span.Links.Select(l => Convert.ToHexStringLower(l.TraceId.Span)).ToList()));
                }
            }
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }

    private sealed class LogsCollector(ConcurrentQueue<ReceivedLog> logs) : Otlp.Logs.LogsService.LogsServiceBase
    {
        public override Task<Otlp.Logs.ExportLogsServiceResponse> Export(Otlp.Logs.ExportLogsServiceRequest request, ServerCallContext context)
        {
            foreach (var resource in request.ResourceLogs)
            {
                var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "";
                foreach (var record in resource.ScopeLogs.SelectMany(s => s.LogRecords))
                {
                    logs.Enqueue(new ReceivedLog(service, record.SeverityText, record.Body?.StringValue ?? "",
                        record.Attributes.Where(a => a.Value is not null).GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.First().Value.StringValue),
                        Convert.ToHexStringLower(record.TraceId.Span), Convert.ToHexStringLower(record.SpanId.Span)));
                }
            }
            return Task.FromResult(new Otlp.Logs.ExportLogsServiceResponse());
        }
    }

    private sealed class MetricsCollector : Otlp.Metrics.MetricsService.MetricsServiceBase
    {
        public override Task<Otlp.Metrics.ExportMetricsServiceResponse> Export(Otlp.Metrics.ExportMetricsServiceRequest request, ServerCallContext context) =>
            Task.FromResult(new Otlp.Metrics.ExportMetricsServiceResponse());
    }
}

public sealed record ReceivedLog(string Service, string Severity, string Body, IReadOnlyDictionary<string, string> Attributes, string TraceId, string SpanId);

public sealed record ReceivedSpan(string Service, string Name, string TraceId, string SpanId, string ParentSpanId, IReadOnlyList<string> LinkedTraceIds);
