using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Telemetry;

[Trait("Category", "Integration")]
public sealed class OtlpLogsTests
{
    [Fact]
    public async Task Log_lines_go_over_OTLP_in_the_trace_of_the_call_that_wrote_them_and_still_to_the_console()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        await using var sut = await ServiceUnderTest.CreateAsync("otlplogs");
        var (process, shipments) = await sut.StartShipmentsAsync(environment: otlp.ExporterEnvironment);
        var request = new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 600_000m, Quantity.Types.Unit.Barrels, null, 2020, 3, 27, "Supsa"),
            RequestId = Guid.NewGuid().ToString(),
        };

        await shipments.CreateShipmentAsync(request, Deadline());
        // A retry is answered from the first call's record, and says so at Information.
        await shipments.CreateShipmentAsync(request, Deadline());

        var line = await Eventually.MatchAsync(
            () => Task.FromResult(otlp.Logs.FirstOrDefault(l => l.Service == "energytrade-shipments" && l.Body.StartsWith("Retry of request " + request.RequestId, StringComparison.Ordinal))),
            l => l is not null, TimeSpan.FromSeconds(20), "the retry's log line over OTLP");
        Assert.Equal(request.RequestId, line!.Attributes["RequestId"]);
        Assert.Equal("Information", line.Severity);
        var createTraces = await Eventually.MatchAsync(
            () => Task.FromResult(otlp.Spans.Where(s => s.Service == "energytrade-shipments" && s.Name.Contains("CreateShipment")).Select(s => s.TraceId).ToList()),
            ids => ids.Count == 2, TimeSpan.FromSeconds(20), "both CreateShipment spans");
        Assert.Equal(createTraces[1], line.TraceId);

        Assert.Contains("Retry of request " + request.RequestId, process.RecentLog(200));
    }
}
