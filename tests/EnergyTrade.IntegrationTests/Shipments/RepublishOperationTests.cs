using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Google.LongRunning;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Shipments;

/// <summary>
/// Republish as a long-running operation (AIP-151): progress while it pages through the table in the
/// background, cancellation, and a restart in the middle that resumes without writing a page twice.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RepublishOperationTests
{
    private static readonly Dictionary<string, string> OneShipmentPerPage = new() { ["Republish__PageSize"] = "1", ["Republish__PollInterval"] = "00:00:01" };

    private static async Task CreateAsync(ShipmentService.ShipmentServiceClient shipments, int count)
    {
        for (var i = 0; i < count; i += 50)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(50, count - i)).Select(n => shipments.CreateShipmentAsync(new CreateShipmentRequest
            {
                Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1_000m + n, Quantity.Types.Unit.Barrels, null, 2020, 3, n % 28 + 1, "Supsa"),
                RequestId = Guid.NewGuid().ToString(),
            }, Deadline()).ResponseAsync));
        }
    }

    private static RepublishShipmentsMetadata Metadata(Operation operation) => operation.Metadata.Unpack<RepublishShipmentsMetadata>();

    /// <summary>Outbox rows written by republishing: everything but the one Created event per shipment.</summary>
    private static async Task<long> RepublishedRowsAsync(ServiceUnderTest sut, int created) =>
        await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages") - created;

    [Fact]
    public async Task A_republish_reports_its_progress_and_ends_with_the_count()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("lro");
        var (process, shipments) = await sut.StartShipmentsAsync(environment: new Dictionary<string, string> { ["Republish__PageSize"] = "7" });
        await CreateAsync(shipments, 40);
        using var channel = TestAuth.Channel(process.GrpcUrl);
        var operations = new Operations.OperationsClient(channel);

        var started = await shipments.StartShipmentRepublishAsync(new RepublishShipmentsRequest { ExporterCountry = "AZ" }, Deadline());
        Assert.Matches("^operations/[0-9a-f-]{36}$", started.Name);
        Assert.Equal(40, Metadata(started).TotalCount);
        Assert.Equal("AZ", Metadata(started).Request.ExporterCountry);

        var done = await operations.WaitOperationAsync(new WaitOperationRequest { Name = started.Name }, Deadline(60));
        Assert.True(done.Done);
        Assert.Equal(40, done.Response.Unpack<RepublishShipmentsResponse>().RepublishedCount);
        Assert.Equal((40, 40), (Metadata(done).RepublishedCount, Metadata(done).TotalCount));
        Assert.NotNull(Metadata(done).EndTime);
        Assert.Equal(40, await RepublishedRowsAsync(sut, 40));

        var listed = await operations.ListOperationsAsync(new ListOperationsRequest { Name = "operations" }, Deadline());
        Assert.Equal(done, Assert.Single(listed.Operations));
        await operations.DeleteOperationAsync(new DeleteOperationRequest { Name = done.Name }, Deadline());
        var gone = await Assert.ThrowsAsync<RpcException>(() => operations.GetOperationAsync(new GetOperationRequest { Name = done.Name }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_cancelled_republish_stops_and_reports_exactly_what_it_wrote()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("lrocancel");
        var (process, shipments) = await sut.StartShipmentsAsync(environment: OneShipmentPerPage);
        await CreateAsync(shipments, 1000);
        using var channel = TestAuth.Channel(process.GrpcUrl);
        var operations = new Operations.OperationsClient(channel);

        var started = await shipments.StartShipmentRepublishAsync(new RepublishShipmentsRequest(), Deadline());
        await Eventually.MatchAsync(() => operations.GetOperationAsync(new GetOperationRequest { Name = started.Name }, Deadline()).ResponseAsync,
            o => Metadata(o).RepublishedCount > 0, TimeSpan.FromSeconds(30), "the first pages");
        await operations.CancelOperationAsync(new CancelOperationRequest { Name = started.Name }, Deadline());

        var cancelled = await operations.GetOperationAsync(new GetOperationRequest { Name = started.Name }, Deadline());
        Assert.True(cancelled.Done);
        Assert.Equal((int)StatusCode.Cancelled, cancelled.Error.Code);
        Assert.True(Metadata(cancelled).CancelRequested);
        var written = Metadata(cancelled).RepublishedCount;
        Assert.InRange(written, 1, 999);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(written, await RepublishedRowsAsync(sut, 1000));
        var badName = await Assert.ThrowsAsync<RpcException>(() => operations.CancelOperationAsync(new CancelOperationRequest { Name = "operations/not-one" }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badName.StatusCode);
    }

    [Fact]
    public async Task A_republish_interrupted_by_a_crash_resumes_after_the_restart_without_writing_a_page_twice()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("lroresume");
        var (first, shipments) = await sut.StartShipmentsAsync(environment: OneShipmentPerPage);
        await CreateAsync(shipments, 1000);

        var started = await shipments.StartShipmentRepublishAsync(new RepublishShipmentsRequest(), Deadline());
        await Eventually.MatchAsync(() => RepublishedRowsAsync(sut, 1000), n => n >= 20, TimeSpan.FromSeconds(30), "some pages written");
        await first.KillAsync();
        var before = await RepublishedRowsAsync(sut, 1000);
        Assert.InRange(before, 20, 999);

        var (second, _) = await sut.StartShipmentsAsync(environment: OneShipmentPerPage);
        using var channel = TestAuth.Channel(second.GrpcUrl);
        var operations = new Operations.OperationsClient(channel);
        var done = await operations.WaitOperationAsync(new WaitOperationRequest { Name = started.Name }, Deadline(120));

        Assert.True(done.Done, "the operation finished after the restart");
        Assert.Equal(1000, done.Response.Unpack<RepublishShipmentsResponse>().RepublishedCount);
        Assert.Equal(1000, await RepublishedRowsAsync(sut, 1000));
        // Each shipment's Created event and exactly one republished snapshot.
        Assert.Equal(1000, await sut.ShipmentsDb.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT shipment_id FROM outbox_messages GROUP BY shipment_id HAVING count(*) = 2) AS twice"));
    }

    [Fact]
    public async Task A_page_of_a_filtered_republish_reads_a_page_of_the_table_not_a_page_of_matches()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("lroscan");
        var proxy = await sut.ProxyToRabbitMqAsync();
        var (process, shipments) = await sut.StartShipmentsAsync(rabbitProxy: proxy, environment: new Dictionary<string, string>
        {
            ["Republish__PageSize"] = "10", ["Republish__MaxOutboxBacklog"] = "1", ["Republish__PollInterval"] = "00:00:01",
        });
        // One at a time, so ids (time-ordered) alternate: AZ, KZ, AZ, KZ, …
        for (var n = 0; n < 40; n++)
        {
            await shipments.CreateShipmentAsync(new CreateShipmentRequest
            {
                Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1_000m + n, Quantity.Types.Unit.Barrels, null, 2020, 3, n % 28 + 1, "Supsa",
                    exporter: n % 2 == 0 ? "AZ" : "KZ"),
                RequestId = Guid.NewGuid().ToString(),
            }, Deadline());
        }
        await Eventually.MatchAsync(UnsentAsync, n => n == 0, TimeSpan.FromSeconds(60), "the creates' events to be sent");
        using var channel = TestAuth.Channel(process.GrpcUrl);
        var operations = new Operations.OperationsClient(channel);

        // RabbitMQ away and a backlog limit of one: the republish stops after its first page with a match.
        proxy.Cut();
        var started = await shipments.StartShipmentRepublishAsync(new RepublishShipmentsRequest { ExporterCountry = "AZ" }, Deadline());
        var held = await Eventually.StableAsync(UnsentAsync, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60), "the republish to stop writing pages");
        // The first page holds the AZ shipments among the table's first 10 by id (about half: ids are
        // time-ordered to the millisecond); a page of 10 matches would have read further.
        var firstPage = await sut.ShipmentsDb.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT exporter_country FROM shipments ORDER BY id LIMIT 10) AS p WHERE exporter_country = 'AZ'");
        Assert.InRange(firstPage, 1, 9);
        Assert.Equal(firstPage, held);

        proxy.Restore();
        var done = await operations.WaitOperationAsync(new WaitOperationRequest { Name = started.Name }, Deadline(120));
        Assert.True(done.Done, "the republish finished once RabbitMQ took its events");
        Assert.Equal(20, done.Response.Unpack<RepublishShipmentsResponse>().RepublishedCount);
        Assert.Equal(20, await RepublishedRowsAsync(sut, 40));

        Task<long> UnsentAsync() => sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");
    }

    [Fact]
    public async Task A_republish_of_a_load_date_range_walks_that_range_newest_first_and_resumes_after_a_crash_writing_each_match_once()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("lrodates");
        var proxy = await sut.ProxyToRabbitMqAsync();
        // Pages of 3 over load dates shared by 8 shipments each, so pages end inside a date and the id decides.
        var settings = new Dictionary<string, string>
        {
            ["Republish__PageSize"] = "3", ["Republish__MaxOutboxBacklog"] = "10", ["Republish__PollInterval"] = "00:00:01",
        };
        var (first, shipments) = await sut.StartShipmentsAsync(rabbitProxy: proxy, environment: settings);
        // Outside the range, before and after it in id order, so that an id walk would meet them.
        await CreateAsync(shipments, 100);
        for (var n = 0; n < 120; n++)
        {
            await shipments.CreateShipmentAsync(new CreateShipmentRequest
            {
                Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 2_000m + n, Quantity.Types.Unit.Barrels, null, 2021, 1 + n / 40, n % 5 + 1, "Supsa",
                    exporter: n % 3 == 0 ? "KZ" : "AZ"),
                RequestId = Guid.NewGuid().ToString(),
            }, Deadline());
        }
        await CreateAsync(shipments, 50);
        const int created = 270;
        await Eventually.MatchAsync(UnsentAsync, n => n == 0, TimeSpan.FromSeconds(60), "the creates' events to be sent");

        // RabbitMQ away: the walk stops at its backlog limit, part of the way through, and the service dies there.
        proxy.Cut();
        var started = await shipments.StartShipmentRepublishAsync(new RepublishShipmentsRequest
        {
            ExporterCountry = "AZ",
            FirstLoadDate = new Google.Type.Date { Year = 2021, Month = 1, Day = 1 },
            LastLoadDate = new Google.Type.Date { Year = 2021, Month = 12, Day = 31 },
        }, Deadline());
        Assert.Equal(80, Metadata(started).TotalCount);
        var held = await Eventually.StableAsync(UnsentAsync, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60), "the republish to stop writing pages");
        Assert.InRange(held, 10, 12);
        await first.KillAsync();
        proxy.Restore();

        var (second, _) = await sut.StartShipmentsAsync(environment: settings);
        using var channel = TestAuth.Channel(second.GrpcUrl);
        var operations = new Operations.OperationsClient(channel);
        var done = await operations.WaitOperationAsync(new WaitOperationRequest { Name = started.Name }, Deadline(120));

        Assert.True(done.Done, "the operation finished after the restart");
        Assert.Equal(80, done.Response.Unpack<RepublishShipmentsResponse>().RepublishedCount);
        // The created events are the first outbox rows; the republished ones follow, in the order written.
        var republished = (await sut.ShipmentsDb.ScalarAsync<string>($"""
            SELECT string_agg(s.load_date::text || ' ' || s.id::text, ',' ORDER BY o.id)
            FROM outbox_messages o JOIN shipments s ON s.id = o.shipment_id
            WHERE o.id > (SELECT id FROM outbox_messages ORDER BY id OFFSET {created - 1} LIMIT 1)
            """))!.Split(',');
        Assert.Equal(80, republished.Length);
        Assert.Equal(80, republished.Distinct().Count());
        // In the order of the load-date index: newest load date first, then newest id.
        Assert.Equal(republished.OrderDescending(StringComparer.Ordinal), republished);
        Assert.All(republished, r => Assert.StartsWith("2021-", r));

        Task<long> UnsentAsync() => sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");
    }

    [Fact]
    public async Task A_republish_writes_no_further_page_while_the_outbox_holds_its_backlog_limit_and_finishes_once_the_events_are_sent()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("lrobacklog");
        var proxy = await sut.ProxyToRabbitMqAsync();
        var (process, shipments) = await sut.StartShipmentsAsync(rabbitProxy: proxy, environment: new Dictionary<string, string>
        {
            ["Republish__PageSize"] = "10", ["Republish__MaxOutboxBacklog"] = "50", ["Republish__PollInterval"] = "00:00:01",
        });
        await CreateAsync(shipments, 200);
        await Eventually.MatchAsync(UnsentAsync, n => n == 0, TimeSpan.FromSeconds(60), "the creates' events to be sent");
        using var channel = TestAuth.Channel(process.GrpcUrl);
        var operations = new Operations.OperationsClient(channel);

        // RabbitMQ away: nothing leaves the outbox, so the republish must stop at its backlog limit.
        proxy.Cut();
        var started = await shipments.StartShipmentRepublishAsync(new RepublishShipmentsRequest(), Deadline());
        var held = await Eventually.StableAsync(UnsentAsync, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60), "the republish to stop writing pages");
        // The page that reached the limit is the last: 5 pages of 10.
        Assert.Equal(50, held);
        var waiting = await operations.GetOperationAsync(new GetOperationRequest { Name = started.Name }, Deadline());
        Assert.False(waiting.Done);
        Assert.Equal(50, Metadata(waiting).RepublishedCount);

        proxy.Restore();
        var done = await operations.WaitOperationAsync(new WaitOperationRequest { Name = started.Name }, Deadline(120));
        Assert.True(done.Done, "the republish finished once RabbitMQ took its events");
        Assert.Equal(200, done.Response.Unpack<RepublishShipmentsResponse>().RepublishedCount);
        Assert.Equal(200, await RepublishedRowsAsync(sut, 200));

        Task<long> UnsentAsync() => sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");
    }
}
