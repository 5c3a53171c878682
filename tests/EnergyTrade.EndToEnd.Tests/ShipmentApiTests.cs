using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using static EnergyTrade.EndToEnd.Tests.Proto;

namespace EnergyTrade.EndToEnd.Tests;

[Collection(SystemCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ShipmentApiTests(SystemFixture system)
{
    /// <summary>A year no other test uses, so this test's rows and totals are its own even on a shared stack.</summary>
    private static readonly int Year = 2000 + Random.Shared.Next(100, 7000);

    private static Shipment Cargo(int month = 3, int day = 4, string origin = "AZ", decimal barrels = 100_000m, string exporter = "AZ", string importer = "BY") =>
        SeedShipments.Cargo(origin, "Azeri Light", barrels, Quantity.Types.Unit.Barrels, null, Year, month, day, "Supsa", exporter: exporter, importer: importer);

    private Task<BilateralTotals> Totals(string country, string partner, int month) =>
        system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = country, Partner = partner, FirstMonth = Month(Year, month), LastMonth = Month(Year, month),
        }, Deadline()).ResponseAsync;

    [Fact]
    public async Task Create_returns_the_normalised_shipment_and_get_returns_the_same()
    {
        var shipment = SeedShipments.Cargo("AZ", "Azeri Light", 85_000m, Quantity.Types.Unit.MetricTonnes, 7.45m, Year, 3, 28, "Supsa", valueUsd: 25_123_456.78m);
        shipment.DeliveryDate = Day(Year, 4, 2);
        var created = await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = shipment, RequestId = Guid.NewGuid().ToString() }, Deadline());

        Assert.Matches("^shipments/[0-9a-f-]{36}$", created.Name);
        Assert.Equal(633_250m, Dec(created.Barrels));
        Assert.Equal(85_000m, Dec(created.Tonnes));
        Assert.Equal(7.45m, Dec(created.Quantity.BarrelsPerTonne));
        Assert.Equal(25_123_456.78m, Usd(created.Value));
        Assert.Equal(1, created.Version);
        Assert.NotNull(created.CreateTime);
        Assert.Equal(created.CreateTime, created.UpdateTime);

        var fetched = await system.Shipments.GetShipmentAsync(new GetShipmentRequest { Name = created.Name }, Deadline());
        Assert.Equal(created, fetched);
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_returns_the_original_and_counts_once()
    {
        var requestId = Guid.NewGuid().ToString();
        var cargo = Cargo(month: 5, barrels: 123_456.789m);
        var first = await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = cargo, RequestId = requestId }, Deadline());
        var retries = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            system.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = cargo, RequestId = requestId }, Deadline()).ResponseAsync));
        Assert.All(retries, r => Assert.Equal(first, r));

        // A later shipment in the same month proves the earlier events have all been applied.
        await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = Cargo(month: 5, barrels: 1m), RequestId = Guid.NewGuid().ToString() }, Deadline());
        var totals = await Eventually.MatchAsync(() => Totals("AZ", "BY", 5), t => Dec(t.Exports.Barrels) >= 123_457.789m,
            TimeSpan.FromSeconds(30), "both shipments in the totals");
        await Task.Delay(500);
        totals = await Totals("AZ", "BY", 5);
        Assert.Equal(2, totals.Exports.ShipmentCount);
        Assert.Equal(123_457.789m, Dec(totals.Exports.Barrels));
    }

    [Fact]
    public async Task A_batch_s_created_shipments_reach_trade_s_totals_exactly_once_even_when_the_batch_is_sent_again()
    {
        // Their own pair and month, so the totals are this batch's alone.
        var requests = Enumerable.Range(0, 300).Select(i => new CreateShipmentRequest
        {
            Shipment = Cargo(month: 11, barrels: 1_000m + i, exporter: "NO", importer: "PL"),
            RequestId = Guid.NewGuid().ToString(),
        }).ToList();
        var invalid = new CreateShipmentRequest { Shipment = Cargo(month: 11, barrels: -5m, exporter: "NO", importer: "PL"), RequestId = Guid.NewGuid().ToString() };
        var batch = new BatchCreateShipmentsRequest();
        batch.Requests.AddRange(requests.Take(150).Append(invalid).Concat(requests.Skip(150)));

        var first = await system.Shipments.BatchCreateShipmentsAsync(batch, Deadline(60));
        var again = await system.Shipments.BatchCreateShipmentsAsync(batch, Deadline(60));

        Assert.Equal(300, first.Shipments.Count);
        Assert.Equal(BatchCreateResult.Types.Outcome.Invalid, first.Results[150].Outcome);
        Assert.Equal(first.Shipments, again.Shipments);
        Assert.All(again.Results.Where(r => r.Index != 150), r => Assert.Equal(BatchCreateResult.Types.Outcome.AlreadyPresent, r.Outcome));
        var expected = requests.Sum(r => Dec(r.Shipment.Quantity.Value));
        await Eventually.MatchAsync(() => Totals("NO", "PL", 11), t => t.Exports.ShipmentCount >= 300,
            TimeSpan.FromSeconds(60), "the batch in the totals");
        await Task.Delay(500);
        var totals = await Totals("NO", "PL", 11);
        Assert.Equal(300, totals.Exports.ShipmentCount);
        Assert.Equal(expected, Dec(totals.Exports.Barrels));
    }

    [Fact]
    public async Task Reusing_a_request_id_for_different_content_is_already_exists()
    {
        var requestId = Guid.NewGuid().ToString();
        var first = await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = Cargo(month: 6), RequestId = requestId }, Deadline());
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            system.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = Cargo(month: 6, barrels: 99m), RequestId = requestId }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, ex.StatusCode);
        var info = ErrorInfoOf(ex);
        Assert.Equal("REQUEST_ID_REUSED", info.Reason);
        Assert.Equal(first.Name, info.Metadata["shipment"]);
    }

    [Fact]
    public async Task Invalid_input_reports_every_violation_and_stores_nothing()
    {
        var bad = Cargo(month: 7);
        bad.ExporterCountry = "XX";
        bad.ImporterCountry = "by";
        bad.OriginCountry = "zz";
        bad.Quantity.Value = new Google.Type.Decimal { Value = "-5" };
        bad.Quantity.BarrelsPerTonne = new Google.Type.Decimal { Value = "12" };
        bad.Value = new Google.Type.Money { CurrencyCode = "EUR", Units = 5 };
        bad.LoadDate = new Google.Type.Date { Year = Year, Month = 2, Day = 30 };
        bad.Shipper = new string('S', 200);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            system.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = bad, RequestId = Guid.NewGuid().ToString() }, Deadline()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var fields = BadRequestOf(ex).FieldViolations.Select(v => v.Field).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "shipment.exporter_country", "shipment.importer_country", "shipment.origin_country", "shipment.quantity.value",
            "shipment.quantity.barrels_per_tonne", "shipment.value.currency_code", "shipment.load_date", "shipment.shipper",
        }, fields);
        Assert.Equal("INVALID_ARGUMENT", ErrorInfoOf(ex).Reason);
        Assert.DoesNotContain("   at ", ex.Status.Detail);

        var listed = await system.Shipments.ListShipmentsAsync(new ListShipmentsRequest
        {
            FirstLoadDate = Day(Year, 7, 1), LastLoadDate = Day(Year, 7, 31),
        }, Deadline());
        Assert.Empty(listed.Shipments);
    }

    [Fact]
    public async Task Exporter_equal_to_importer_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => system.Shipments.CreateShipmentAsync(
            new CreateShipmentRequest { Shipment = Cargo(exporter: "AZ", importer: "AZ") }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(BadRequestOf(ex).FieldViolations, v => v.Field == "shipment.importer_country" && v.Reason == "SAME_COUNTRY");
    }

    [Fact]
    public async Task Unknown_and_malformed_names()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            system.Shipments.GetShipmentAsync(new GetShipmentRequest { Name = $"shipments/{Guid.NewGuid()}" }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var malformed = await Assert.ThrowsAsync<RpcException>(() =>
            system.Shipments.GetShipmentAsync(new GetShipmentRequest { Name = "orders/42" }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Equal("name", BadRequestOf(malformed).FieldViolations.Single().Field);
    }

    [Fact]
    public async Task List_pages_newest_first_with_filters()
    {
        // Eleven shipments in one month of this test's year: three origins, two exporters.
        var created = new List<Shipment>();
        for (var day = 1; day <= 11; day++)
        {
            var origin = day % 3 == 0 ? "RU" : "AZ";
            created.Add(await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = Cargo(month: 9, day: day, origin: origin) }, Deadline()));
        }
        await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = Cargo(month: 9, day: 12, exporter: "KZ") }, Deadline());

        var request = new ListShipmentsRequest
        {
            PageSize = 4, ExporterCountry = "AZ", ImporterCountry = "BY",
            FirstLoadDate = Day(Year, 9, 1), LastLoadDate = Day(Year, 9, 30),
        };
        var seen = new List<Shipment>();
        var pages = 0;
        do
        {
            var page = await system.Shipments.ListShipmentsAsync(request, Deadline());
            seen.AddRange(page.Shipments);
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(3, pages);
        Assert.Equal(created.OrderByDescending(s => s.LoadDate.Day).Select(s => s.Name), seen.Select(s => s.Name));

        var russian = await system.Shipments.ListShipmentsAsync(new ListShipmentsRequest
        {
            OriginCountry = "RU", FirstLoadDate = Day(Year, 9, 1), LastLoadDate = Day(Year, 9, 30),
        }, Deadline());
        Assert.Equal([9, 6, 3], russian.Shipments.Select(s => s.LoadDate.Day));
        Assert.Empty(russian.NextPageToken);

        // A token only works with the filters it was issued for.
        var first = await system.Shipments.ListShipmentsAsync(new ListShipmentsRequest { PageSize = 1, OriginCountry = "RU", FirstLoadDate = Day(Year, 9, 1) }, Deadline());
        var ex = await Assert.ThrowsAsync<RpcException>(() => system.Shipments.ListShipmentsAsync(
            new ListShipmentsRequest { PageSize = 1, OriginCountry = "AZ", PageToken = first.NextPageToken }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("page_token", BadRequestOf(ex).FieldViolations.Single().Field);
    }

    [Fact]
    public async Task Trade_rejects_bad_queries_precisely()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = "AZ", Partner = "ZZ", FirstMonth = Day(2020, 1, 15), LastMonth = Month(2019, 12),
        }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var fields = BadRequestOf(ex).FieldViolations.Select(v => v.Field).ToList();
        Assert.Contains("partner", fields);
        Assert.Contains("first_month", fields);

        var reversed = await Assert.ThrowsAsync<RpcException>(() => system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 4), LastMonth = Month(2020, 1),
        }, Deadline()).ResponseAsync);
        Assert.Equal("last_month", BadRequestOf(reversed).FieldViolations.Single().Field);
    }

    [Fact]
    public async Task Both_services_answer_the_grpc_health_protocol()
    {
        foreach (var channel in new[] { system.ShipmentsChannel, system.TradeChannel })
        {
            var health = new Grpc.Health.V1.Health.HealthClient(channel);
            var reply = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), Deadline());
            Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        }
    }
}
