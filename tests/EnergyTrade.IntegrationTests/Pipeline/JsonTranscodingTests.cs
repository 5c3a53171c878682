using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Pipeline;

/// <summary>The read methods and the batch create answer plain HTTP/JSON too, for people with curl and no gRPC client.</summary>
[Trait("Category", "Integration")]
public sealed class JsonTranscodingTests
{
    [Fact]
    public async Task Totals_and_shipments_can_be_read_with_plain_http()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("json");
        var (shipmentsProcess, shipments) = await sut.StartShipmentsAsync();
        var (tradeProcess, _) = await sut.StartTradeAsync();
        var created = new List<Shipment>();
        foreach (var cargo in SeedShipments.AzerbaijanToBelarus2020())
        {
            created.Add(await shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = cargo }, Deadline()));
        }
        var first = created[0];

        using var trade = new HttpClient { BaseAddress = tradeProcess.HttpUrl };
        trade.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token(["trade:read"]));
        var url = "/v1/trade/AZ/BY/totals?first_month.year=2020&first_month.month=1&last_month.year=2020&last_month.month=4";
        var totals = await Eventually.MatchAsync(async () => JsonDocument.Parse(await trade.GetStringAsync(url)).RootElement,
            t => t.GetProperty("exports").TryGetProperty("shipmentCount", out var n) && n.ToString() == "5",
            TimeSpan.FromSeconds(30), "five cargoes over HTTP/JSON");
        Assert.Equal("3830000.000", totals.GetProperty("exports").GetProperty("barrels").GetProperty("value").GetString());

        var origin = JsonDocument.Parse(await trade.GetStringAsync(url + "&basis=BASIS_ORIGIN")).RootElement;
        Assert.Equal("2050000.000", origin.GetProperty("exports").GetProperty("barrels").GetProperty("value").GetString());

        // The analyst's parameters travel as query parameters too: a name filter, a repeated group_by, WORLD.
        var grouped = JsonDocument.Parse(await trade.GetStringAsync(url + "&shipper=socar&group_by=DIMENSION_ORIGIN&group_by=DIMENSION_GRADE")).RootElement;
        var groups = grouped.GetProperty("exports").GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal("3830000.000", grouped.GetProperty("exports").GetProperty("barrels").GetProperty("value").GetString());
        Assert.Equal(2, groups[0].GetProperty("keys").GetArrayLength());
        var world = JsonDocument.Parse(await trade.GetStringAsync(url.Replace("/AZ/BY/", "/BY/WORLD/", StringComparison.Ordinal))).RootElement;
        Assert.Equal("3830000.000", world.GetProperty("imports").GetProperty("barrels").GetProperty("value").GetString());

        using var anonymous = new HttpClient { BaseAddress = tradeProcess.HttpUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url)).StatusCode);
        var bad = await trade.GetAsync("/v1/trade/AZ/ZZ/totals");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'ZZ' is not an officially assigned", await bad.Content.ReadAsStringAsync());

        using var http = new HttpClient { BaseAddress = shipmentsProcess.HttpUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token(["shipments:read"]));
        var shipment = JsonDocument.Parse(await http.GetStringAsync("/v1/" + first.Name)).RootElement;
        Assert.Equal(first.Name, shipment.GetProperty("name").GetString());
        var list = JsonDocument.Parse(await http.GetStringAsync("/v1/shipments?origin_country=RU")).RootElement;
        Assert.Single(list.GetProperty("shipments").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/shipments/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task A_batch_of_shipments_can_be_created_with_plain_http_and_each_item_reports_its_outcome()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("jsonbatch");
        var (shipmentsProcess, _) = await sut.StartShipmentsAsync();
        using var http = new HttpClient { BaseAddress = shipmentsProcess.HttpUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token(["shipments:write"]));
        const string Cargo = """
            "shipper": "SOCAR", "exporter_country": "AZ", "importer_country": "BY", "origin_country": "AZ", "grade": "Azeri Light",
            "load_date": {"year": 2020, "month": 3, "day": 28}
            """;
        var body = $$$"""
            {"requests": [
              {"request_id": "{{{Guid.NewGuid()}}}", "shipment": { {{{Cargo}}}, "quantity": {"value": {"value": "85000"}, "unit": "UNIT_METRIC_TONNES", "barrels_per_tonne": {"value": "7.45"}} }},
              {"request_id": "{{{Guid.NewGuid()}}}", "shipment": { {{{Cargo}}}, "quantity": {"value": {"value": "0"}, "unit": "UNIT_BARRELS"} }}
            ]}
            """;

        using var reply = await http.PostAsync("/v1/shipments:batchCreate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.StatusCode == HttpStatusCode.OK, $"{reply.StatusCode}: {text}");
        var answer = JsonDocument.Parse(text).RootElement;
        var results = answer.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal("OUTCOME_CREATED", results[0].GetProperty("outcome").GetString());
        Assert.Equal("633250.000", results[0].GetProperty("shipment").GetProperty("barrels").GetProperty("value").GetString());
        Assert.Equal("OUTCOME_INVALID", results[1].GetProperty("outcome").GetString());
        Assert.Equal(1, results[1].GetProperty("index").GetInt32());
        var violation = results[1].GetProperty("status").GetProperty("details").EnumerateArray()
            .Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.BadRequest")
            .GetProperty("fieldViolations")[0];
        Assert.Equal("requests[1].shipment.quantity.value", violation.GetProperty("field").GetString());
        Assert.Single(answer.GetProperty("shipments").EnumerateArray());
        Assert.Equal(1, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments"));

        using var empty = await http.PostAsync("/v1/shipments:batchCreate", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task An_export_over_plain_http_writes_each_page_of_shipments_as_one_json_object_per_line()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("jsonexport");
        var (shipmentsProcess, shipments) = await sut.StartShipmentsAsync();
        // 1,001 from Azerbaijan (two pages) and one from Kazakhstan, which the filter leaves out.
        var batch = new BatchCreateShipmentsRequest();
        batch.Requests.AddRange(Enumerable.Range(0, 1_000).Select(i => new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1_000m + i, Quantity.Types.Unit.Barrels, null, 2020, 3, i % 28 + 1, "Supsa"),
            RequestId = Guid.NewGuid().ToString(),
        }));
        await shipments.BatchCreateShipmentsAsync(batch, Deadline(120));
        foreach (var exporter in new[] { "AZ", "KZ" })
        {
            var cargo = SeedShipments.Cargo("KZ", "CPC Blend", 1_200_000m, Quantity.Types.Unit.Barrels, null, 2020, 2, 14, "Novorossiysk", exporter: exporter);
            await shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = cargo }, Deadline());
        }
        using var http = new HttpClient { BaseAddress = shipmentsProcess.HttpUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token(["shipments:read"]));

        using var reply = await http.GetAsync("/v1/shipments:export?exporter_country=AZ");
        var text = await reply.Content.ReadAsStringAsync();

        Assert.True(reply.StatusCode == HttpStatusCode.OK, $"{reply.StatusCode}: {text}");
        // Server streaming over JSON transcoding: each message is a JSON object on a line of its own, not one array.
        var pages = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal([1_000, 1], pages.Select(p => p.GetProperty("shipments").GetArrayLength()));
        var exporters = pages.SelectMany(p => p.GetProperty("shipments").EnumerateArray()).Select(s => s.GetProperty("exporterCountry").GetString());
        Assert.All(exporters, e => Assert.Equal("AZ", e));
        // Newest load date first: the one February cargo comes last.
        var oldest = pages[1].GetProperty("shipments")[0].GetProperty("loadDate");
        Assert.Equal((2020, 2, 14), (oldest.GetProperty("year").GetInt32(), oldest.GetProperty("month").GetInt32(), oldest.GetProperty("day").GetInt32()));

        var bad = await http.GetAsync("/v1/shipments:export?exporter_country=ZZ");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'ZZ' is not an officially assigned", await bad.Content.ReadAsStringAsync());
        using var anonymous = new HttpClient { BaseAddress = shipmentsProcess.HttpUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/shipments:export")).StatusCode);
    }
}
