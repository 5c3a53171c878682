using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Xunit.Abstractions;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Telemetry;

[Trait("Category", "Integration")]
public sealed class TracingTests(ITestOutputHelper output)
{
    private const string ShipmentsService = "energytrade-shipments";
    private const string TradeService = "energytrade-trade";

    private static CreateShipmentRequest Request() => new()
    {
        Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 600_000m, Quantity.Types.Unit.Barrels, null, 2020, 3, 27, "Supsa"),
        RequestId = Guid.NewGuid().ToString(),
    };

    /// <summary>The trace of the CreateShipment server span, once exported.</summary>
    private static Task<string> CreateTraceAsync(OtlpReceiver otlp) => Eventually.MatchAsync(
        () => Task.FromResult(otlp.Spans.FirstOrDefault(s => s.Service == ShipmentsService && s.Name.Contains("CreateShipment"))?.TraceId),
        id => id is not null, TimeSpan.FromSeconds(20), "the CreateShipment span")!;

    private Task<ReceivedSpan> TradeSpanInTraceAsync(OtlpReceiver otlp, string traceId) => Eventually.MatchAsync(
        () => Task.FromResult(otlp.Spans.FirstOrDefault(s => s.Service == TradeService && (s.TraceId == traceId || s.LinkedTraceIds.Contains(traceId)))),
        span => span is not null, TimeSpan.FromSeconds(30), $"a Trade span in trace {traceId}")!;

    private void Dump(OtlpReceiver otlp, string traceId)
    {
        foreach (var span in otlp.Spans.Where(s => s.TraceId == traceId)) output.WriteLine($"{span.Service,-22} {span.Name} ({span.SpanId} <- {span.ParentSpanId})");
    }

    [Fact]
    public async Task One_trace_runs_from_CreateShipment_through_RabbitMQ_to_the_totals_update()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        await using var sut = await ServiceUnderTest.CreateAsync("trace");
        var (_, shipments) = await sut.StartShipmentsAsync(environment: otlp.ExporterEnvironment);
        await sut.StartTradeAsync(otlp.ExporterEnvironment);

        await shipments.CreateShipmentAsync(Request(), Deadline());
        var traceId = await CreateTraceAsync(otlp);
        await TradeSpanInTraceAsync(otlp, traceId);
        // The totals update itself (Npgsql) is in the same trace, inside Trade.
        await Eventually.MatchAsync(() => Task.FromResult(otlp.Spans.Count(s => s.Service == TradeService && s.TraceId == traceId)),
            n => n >= 2, TimeSpan.FromSeconds(20), "Trade's consume and database spans in the trace");
        Assert.Contains(otlp.Spans, s => s.Service == ShipmentsService && s.TraceId == traceId && s.Name == "outbox publish");
        Dump(otlp, traceId);
    }

    [Fact]
    public async Task The_trace_survives_a_Shipments_restart_between_commit_and_publish()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        await using var sut = await ServiceUnderTest.CreateAsync("tracerestart");
        var rabbit = await sut.ProxyToRabbitMqAsync();
        var (process, shipments) = await sut.StartShipmentsAsync(rabbitProxy: rabbit, environment: otlp.ExporterEnvironment);
        await sut.StartTradeAsync(otlp.ExporterEnvironment);

        rabbit.Cut();
        await shipments.CreateShipmentAsync(Request(), Deadline());
        var traceId = await CreateTraceAsync(otlp);
        Assert.Equal(1, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"));

        // Committed, not published: kill it, bring the broker back, start it again.
        await process.KillAsync();
        rabbit.Restore();
        await sut.StartShipmentsAsync(rabbitProxy: rabbit, environment: otlp.ExporterEnvironment);

        var span = await TradeSpanInTraceAsync(otlp, traceId);
        output.WriteLine($"Trade span after restart: {span}");
        Dump(otlp, traceId);
    }
}
