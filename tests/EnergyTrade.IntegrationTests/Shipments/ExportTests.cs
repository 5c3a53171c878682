using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Google.Rpc;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;
using Outcome = EnergyTrade.Shipments.V1.BatchCreateResult.Types.Outcome;

namespace EnergyTrade.IntegrationTests.Shipments;

/// <summary>
/// ExportShipments streams every matching shipment once, in ListShipments' order, in pages of at most
/// 1,000, from one snapshot: what is written while an export runs is not in it, and nothing is skipped.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ExportTests
{
    private static CreateShipmentRequest Request(DateOnly loadDate, string exporter = "AZ", decimal barrels = 1_000m) => new()
    {
        Shipment = SeedShipments.Cargo("AZ", "Azeri Light", barrels, Quantity.Types.Unit.Barrels, null, loadDate.Year, loadDate.Month, loadDate.Day,
            "Supsa", exporter: exporter),
        RequestId = Guid.NewGuid().ToString(),
    };

    /// <summary>Load dates that repeat (about 8 shipments a day), so pages end between shipments of one date and the id decides.</summary>
    private static DateOnly Day(int i, int year = 2020) => new DateOnly(year, 1, 1).AddDays(i % 300);

    /// <summary>Creates the shipments through BatchCreateShipments, 1,000 at a time; their names, in no order.</summary>
    private static async Task<List<string>> CreateAsync(ShipmentService.ShipmentServiceClient client, IEnumerable<CreateShipmentRequest> requests)
    {
        var names = new List<string>();
        foreach (var chunk in requests.Chunk(1_000))
        {
            var batch = new BatchCreateShipmentsRequest { Requests = { chunk } };
            var response = await client.BatchCreateShipmentsAsync(batch, Deadline(120));
            Assert.All(response.Results, r => Assert.Equal(Outcome.Created, r.Outcome));
            names.AddRange(response.Shipments.Select(s => s.Name));
        }
        return names;
    }

    private static async Task<List<ExportShipmentsResponse>> ExportAsync(ShipmentService.ShipmentServiceClient client, ExportShipmentsRequest request)
    {
        using var call = client.ExportShipments(request, Deadline(120));
        var pages = new List<ExportShipmentsResponse>();
        await foreach (var page in call.ResponseStream.ReadAllAsync()) pages.Add(page);
        return pages;
    }

    /// <summary>Every page of ListShipments with the same filters: the order an export must keep.</summary>
    private static async Task<List<string>> ListAllAsync(ShipmentService.ShipmentServiceClient client, ListShipmentsRequest request)
    {
        var names = new List<string>();
        request.PageSize = 1_000;
        do
        {
            var page = await client.ListShipmentsAsync(request, Deadline(60));
            names.AddRange(page.Shipments.Select(s => s.Name));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return names;
    }

    [Fact]
    public async Task An_export_of_2500_filtered_shipments_returns_exactly_those_in_list_order_in_pages_of_at_most_1000_each_once()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("export2500");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var wanted = await CreateAsync(shipments, Enumerable.Range(0, 2_500).Select(i => Request(Day(i), barrels: 1_000m + i)));
        // Left out by the filters: another exporter in the range, and the same exporter before it.
        await CreateAsync(shipments, Enumerable.Range(0, 300).Select(i => Request(Day(i), exporter: "KZ")));
        await CreateAsync(shipments, Enumerable.Range(0, 200).Select(i => Request(Day(i, year: 2019))));
        var first = new Google.Type.Date { Year = 2020, Month = 1, Day = 1 };
        var last = new Google.Type.Date { Year = 2020, Month = 12, Day = 31 };

        var pages = await ExportAsync(shipments, new ExportShipmentsRequest { ExporterCountry = "AZ", FirstLoadDate = first, LastLoadDate = last });

        Assert.Equal([1_000, 1_000, 500], pages.Select(p => p.Shipments.Count));
        var exported = pages.SelectMany(p => p.Shipments).Select(s => s.Name).ToList();
        Assert.Equal(2_500, exported.Distinct().Count());
        Assert.Equal(wanted.Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
        var listed = await ListAllAsync(shipments, new ListShipmentsRequest { ExporterCountry = "AZ", FirstLoadDate = first, LastLoadDate = last });
        Assert.Equal(listed, exported);
        // Whole shipments, as GetShipment answers them.
        var one = pages[1].Shipments[17];
        Assert.Equal(await shipments.GetShipmentAsync(new GetShipmentRequest { Name = one.Name }, Deadline()), one);
    }

    [Fact]
    public async Task Shipments_written_while_an_export_runs_are_not_in_it_and_none_that_existed_when_it_began_is_skipped_or_repeated()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("exportsnapshot");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var before = await CreateAsync(shipments, Enumerable.Range(0, 5_000).Select(i => Request(Day(i))));
        var oldest = (await ListAllAsync(shipments, new ListShipmentsRequest()))[^1];

        using var call = shipments.ExportShipments(new ExportShipmentsRequest(), Deadline(120));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var exported = call.ResponseStream.Current.Shipments.ToList();

        // Behind the cursor (newer load dates) and ahead of it (older), and a change to a shipment not yet read.
        var during = await CreateAsync(shipments, Enumerable.Range(0, 100).Select(i => Request(Day(i, year: 2021)))
            .Concat(Enumerable.Range(0, 100).Select(i => Request(Day(i, year: 2019)))));
        var cancelled = await shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = oldest, Reason = "booked twice" }, Deadline());
        Assert.Equal(Shipment.Types.State.Cancelled, cancelled.State);

        while (await call.ResponseStream.MoveNext(CancellationToken.None)) exported.AddRange(call.ResponseStream.Current.Shipments);

        Assert.Equal(before.Order(StringComparer.Ordinal), exported.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Empty(exported.Select(s => s.Name).Intersect(during));
        // The cancellation came after the export began: the export has the shipment as it was then.
        var asItWas = exported.Single(s => s.Name == oldest);
        Assert.Equal((Shipment.Types.State.Active, 1L), (asItWas.State, asItWas.Version));
        Assert.Equal(oldest, exported[^1].Name);
    }

    [Fact]
    public async Task Exports_abandoned_after_their_first_page_leave_the_service_answering_whole_exports_and_lists()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("exportabandon");
        var (process, shipments) = await sut.StartShipmentsAsync();
        var all = await CreateAsync(shipments, Enumerable.Range(0, 3_000).Select(i => Request(Day(i))));

        // The service reads the next page while it writes one: a client that goes away mid-export must
        // not leave that read running on a database context handed to the next call.
        for (var i = 0; i < 5; i++)
        {
            using var cancel = new CancellationTokenSource();
            using var call = shipments.ExportShipments(new ExportShipmentsRequest(), cancellationToken: cancel.Token);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            await cancel.CancelAsync();
        }

        var pages = await ExportAsync(shipments, new ExportShipmentsRequest());
        Assert.Equal(all.Order(StringComparer.Ordinal), pages.SelectMany(p => p.Shipments).Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal(await ListAllAsync(shipments, new ListShipmentsRequest()), pages.SelectMany(p => p.Shipments).Select(s => s.Name));
        Assert.False(process.HasExited);
    }

    [Fact]
    public async Task Bad_filters_are_invalid_argument_with_the_same_violations_as_list_shipments()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("exportbad");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var exporter = "ZZ";
        var first = new Google.Type.Date { Year = 2020, Month = 13, Day = 1 };
        var last = new Google.Type.Date { Year = 2020, Month = 2, Day = 30 };

        var export = await Assert.ThrowsAsync<RpcException>(() => ExportAsync(shipments,
            new ExportShipmentsRequest { ExporterCountry = exporter, FirstLoadDate = first, LastLoadDate = last }));
        var list = await Assert.ThrowsAsync<RpcException>(() => shipments.ListShipmentsAsync(
            new ListShipmentsRequest { ExporterCountry = exporter, FirstLoadDate = first, LastLoadDate = last }, Deadline()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, export.StatusCode);
        static IEnumerable<(string, string)> Violations(RpcException e) =>
            e.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => (v.Field, v.Description));
        Assert.Equal(["exporter_country", "first_load_date", "last_load_date"], Violations(export).Select(v => v.Item1));
        Assert.Equal(Violations(list), Violations(export));
    }
}
