using System.Text.Json;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class JsonOutputTests
{
    [Fact]
    public async Task A_created_shipment_is_printed_in_the_proto_json_mapping()
    {
        var run = new CliRun();
        run.Server.On<CreateShipmentRequest, Shipment>(Replies.Create, r => Replies.Recorded(r, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));

        await run.RunAsync("shipments", "create", "--exporter", "AZ", "--importer", "BY", "--origin", "AZ", "--grade", "Azeri Light",
            "--quantity", "85000", "--unit", "t", "--barrels-per-tonne", "7.45", "--value-usd", "25000000.00", "--load-date", "2020-03-28", "-o", "json");

        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.StartsWith("shipments/", json.GetProperty("name").GetString());
        Assert.Equal("UNIT_METRIC_TONNES", json.GetProperty("quantity").GetProperty("unit").GetString());
        Assert.Equal("85000", json.GetProperty("quantity").GetProperty("value").GetProperty("value").GetString());
        Assert.Equal("25000000", json.GetProperty("value").GetProperty("units").GetString());
        Assert.Equal("STATE_ACTIVE", json.GetProperty("state").GetString());
        Assert.Equal("2026-01-02T03:04:05Z", json.GetProperty("createTime").GetString());
        Assert.Equal("", run.Out.ToString());
    }

    [Fact]
    public async Task A_listed_page_keeps_its_next_page_token()
    {
        var run = new CliRun();
        run.Server.On<ListShipmentsRequest, ListShipmentsResponse>(Replies.List, _ => new ListShipmentsResponse
        {
            Shipments = { new Shipment { Name = "shipments/1" } },
            NextPageToken = "next",
        });

        await run.RunAsync("shipments", "list", "--output", "json");

        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.Equal("shipments/1", json.GetProperty("shipments")[0].GetProperty("name").GetString());
        Assert.Equal("next", json.GetProperty("nextPageToken").GetString());
    }

    [Fact]
    public async Task Errors_go_to_standard_error_so_json_output_stays_parseable()
    {
        var run = new CliRun();
        run.Server.On<GetShipmentRequest, Shipment>(Replies.Get, _ => throw Rpc.ConnectionRefused());

        Assert.Equal(1, await run.RunAsync("shipments", "get", "x", "--output", "json"));

        Assert.Equal("", run.Json.ToString());
        Assert.Contains("Could not reach the Shipments service", run.Error.ToString());
    }
}
