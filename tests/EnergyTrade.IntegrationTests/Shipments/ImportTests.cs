using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Google.Rpc;
using Grpc.Core;
using Xunit.Abstractions;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;
using static EnergyTrade.IntegrationTests.Shipments.Creates;
using Outcome = EnergyTrade.Shipments.V1.BatchCreateResult.Types.Outcome;

namespace EnergyTrade.IntegrationTests.Shipments;

/// <summary>
/// ImportShipments: a stream of chunks, each answered in the order sent with one result per item,
/// numbered across the stream; per item like BatchCreateShipments, exactly once however often it is
/// sent, and paced by flow control. The database is counted directly.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ImportTests(ITestOutputHelper output)
{
    private static IEnumerable<long> Indexes(int first, int count) => Enumerable.Range(first, count).Select(i => (long)i);

    private static Task<long> ShipmentRows(ServiceUnderTest sut) => sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments");

    [Fact]
    public async Task Five_chunks_of_a_thousand_are_answered_chunk_by_chunk_in_order_and_each_of_the_5000_shipments_is_written_with_its_revision_and_event()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("import5000");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var requests = Enumerable.Range(0, 5_000).Select(i => Request(i)).ToList();
        var chunks = requests.Chunk(1_000).ToList();

        using var stream = new ImportStream(shipments);
        // The service works on four chunks at a time: once it has the fourth, the first is answered
        // while the stream is still open.
        foreach (var chunk in chunks.Take(4)) await stream.SendAsync(chunk);
        var answers = new List<ImportShipmentsResponse> { (await stream.NextAsync())! };
        await stream.SendAsync(chunks[4]);
        await stream.CompleteAsync();
        answers.AddRange(await stream.ReadToEndAsync());

        Assert.Equal(5, answers.Count);
        for (var c = 0; c < answers.Count; c++) Assert.Equal(Indexes(c * 1_000, 1_000), answers[c].Results.Select(r => r.Index));
        var results = answers.SelectMany(a => a.Results).ToList();
        Assert.All(results, r => Assert.Equal(Outcome.Created, r.Outcome));
        Assert.All(results, r => Assert.Null(r.Status));
        Assert.Equal(5_000, results.Select(r => r.Name).Distinct().Count());
        // Each result names its own item's shipment: the one that holds the item's request_id.
        await AssertWrittenOnce(sut, requests, results.Select(r => r.Name));
    }

    [Fact]
    public async Task An_import_interrupted_after_two_answers_and_sent_again_whole_records_each_of_its_4000_shipments_exactly_once()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("importresume");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var requests = Enumerable.Range(0, 4_000).Select(i => Request(i)).ToList();
        var chunks = requests.Chunk(500).ToList();

        // The first run sends five of the eight chunks, reads two answers and gives up (the call is
        // cancelled): three chunks were sent and never answered, three never sent.
        List<ImportResult> answered;
        using (var first = new ImportStream(shipments))
        {
            foreach (var chunk in chunks.Take(5)) await first.SendAsync(chunk);
            answered = [.. (await first.NextAsync())!.Results, .. (await first.NextAsync())!.Results];
        }
        Assert.Equal(Indexes(0, 1_000), answered.Select(r => r.Index));
        Assert.All(answered, r => Assert.Equal(Outcome.Created, r.Outcome));
        // The chunks sent and not answered are the service's to finish or drop; wait until it has.
        var left = await Eventually.StableAsync(() => ShipmentRows(sut), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(120),
            "the rows of the interrupted import");
        Assert.InRange(left, 1_000, 2_500);

        var again = (await ImportStream.ImportAsync(shipments, chunks)).SelectMany(a => a.Results).ToList();

        Assert.Equal(Indexes(0, 4_000), again.Select(r => r.Index));
        // What was answered is present under the names first given; what was never sent is created now;
        // what was sent and not answered is one or the other.
        Assert.Equal(answered.Select(r => (Outcome.AlreadyPresent, r.Name)), again.Take(1_000).Select(r => (r.Outcome, r.Name)));
        Assert.All(again.Skip(2_500), r => Assert.Equal(Outcome.Created, r.Outcome));
        Assert.All(again, r => Assert.Contains(r.Outcome, new[] { Outcome.Created, Outcome.AlreadyPresent }));
        Assert.All(again, r => Assert.Null(r.Status));
        await AssertWrittenOnce(sut, requests, again.Select(r => r.Name));
    }

    [Fact]
    public async Task Each_item_gets_its_own_outcome_within_its_chunk_and_across_chunks_and_only_the_created_ones_are_written()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("importmixed");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var earlier = Request(1);
        var earlierShipment = await shipments.CreateShipmentAsync(earlier, Deadline());

        var fresh = Request(2);
        var invalid = Request(3);
        invalid.Shipment.Quantity.Value.Value = "0";
        CreateShipmentRequest[] first = [fresh, invalid, fresh.Clone(), Request(4, fresh.RequestId), earlier.Clone(), Request(5)];
        CreateShipmentRequest[] second = [fresh.Clone(), Request(6, fresh.RequestId), Request(7, earlier.RequestId), invalid.Clone(), Request(8)];

        using var stream = new ImportStream(shipments);
        await stream.SendAsync(first);
        // The second chunk goes once the first is written: its items meet the first's as stored rows,
        // not in a race with them (chunks in flight together race for a request_id: a test of its own).
        await Eventually.MatchAsync(() => ShipmentRows(sut), n => n == 3, TimeSpan.FromSeconds(30), "the first chunk's two shipments to be written");
        await stream.SendAsync(second);
        await stream.CompleteAsync();
        var answers = await stream.ReadToEndAsync();

        Assert.Equal(2, answers.Count);
        Assert.Equal(Indexes(0, 6), answers[0].Results.Select(r => r.Index));
        Assert.Equal(Indexes(6, 5), answers[1].Results.Select(r => r.Index));
        var results = answers.SelectMany(a => a.Results).ToList();
        Assert.Equal(
            [
                Outcome.Created, Outcome.Invalid, Outcome.AlreadyPresent, Outcome.RequestIdReused, Outcome.AlreadyPresent, Outcome.Created,
                Outcome.AlreadyPresent, Outcome.RequestIdReused, Outcome.RequestIdReused, Outcome.Invalid, Outcome.Created,
            ],
            results.Select(r => r.Outcome));

        // The same request again, in its own chunk and in a later one: the shipment the first created.
        var created = results[0].Name;
        Assert.StartsWith("shipments/", created);
        Assert.Equal([created, created], new[] { results[2].Name, results[6].Name });
        // A request_id that an earlier CreateShipment holds: that shipment.
        Assert.Equal(earlierShipment.Name, results[4].Name);
        Assert.All(new[] { 0, 2, 4, 5, 6, 10 }.Select(i => results[i]), r => Assert.Null(r.Status));

        // Field paths relative to the item: its index already says which one.
        foreach (var bad in new[] { results[1], results[9] })
        {
            Assert.Equal("", bad.Name);
            Assert.Equal((int)Code.InvalidArgument, bad.Status.Code);
            Assert.Equal(["shipment.quantity.value"], ViolatedFields(bad.Status));
        }
        foreach (var reused in new[] { results[3], results[7], results[8] })
        {
            Assert.Equal("", reused.Name);
            Assert.Equal((int)Code.AlreadyExists, reused.Status.Code);
            Assert.Equal("REQUEST_ID_REUSED", ErrorInfoOf(reused.Status).Reason);
        }
        Assert.Equal(earlierShipment.Name, ErrorInfoOf(results[8].Status).Metadata["shipment"]);

        // The earlier one and the three created; nothing of the invalid or the reused items.
        Assert.Equal((4L, 4L, 4L), await Written(sut));
        Assert.Equal(0, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments WHERE barrels IN (0, 1003, 1004, 1006, 1007)"));
        var names = await NamesByRequestId(sut);
        Assert.Equal(created, names[fresh.RequestId]);
        Assert.Equal(earlierShipment.Name, names[earlier.RequestId]);
        Assert.Equal(1_002m, await sut.ShipmentsDb.ScalarAsync<decimal>($"SELECT barrels FROM shipments WHERE request_id = '{fresh.RequestId}'"));
    }

    [Fact]
    public async Task A_client_that_sends_20_chunks_without_reading_holds_the_service_back_short_of_them_and_once_it_reads_all_20000_are_written()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("importflow");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var requests = Enumerable.Range(0, 20_000).Select(i => Request(i)).ToList();

        using var stream = new ImportStream(shipments, seconds: 600);
        var sending = Task.Run(async () =>
        {
            foreach (var chunk in requests.Chunk(1_000)) await stream.SendAsync(chunk);
            await stream.CompleteAsync();
        });

        // Nothing is read: the service fills HTTP/2's windows with a few answers, keeps four chunks in
        // flight and then takes no more, so the rows stop short of the 20,000 sent.
        var taken = await Eventually.StableAsync(() => ShipmentRows(sut), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(120),
            "the rows written while the client reads nothing");
        output.WriteLine($"While the client read nothing: {taken} shipments written, {stream.Sent} of 20 chunks' writes returned, sending finished: {sending.IsCompleted}");
        // Four chunks in flight and the few answers that fit in HTTP/2's windows: about 5,000 here.
        Assert.True(taken <= 10_000, $"{taken} shipments were written though the client read no answer.");
        Assert.False(sending.IsCompleted, $"All 20 chunks went out though the service took only {taken} shipments: something buffers them.");

        var answers = await stream.ReadToEndAsync();
        await sending;

        Assert.Equal(20, answers.Count);
        var results = answers.SelectMany(a => a.Results).ToList();
        Assert.Equal(Indexes(0, 20_000), results.Select(r => r.Index));
        Assert.All(results, r => Assert.Equal(Outcome.Created, r.Outcome));
        await AssertWrittenOnce(sut, requests, results.Select(r => r.Name));
    }

    [Fact]
    public async Task Without_the_shipments_write_scope_the_stream_is_permission_denied_and_nothing_is_written()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("importscope");
        var (process, _) = await sut.StartShipmentsAsync();
        using var channel = TestAuth.Channel(process.GrpcUrl, TestAuth.Token(["shipments:read"]));

        using var stream = new ImportStream(new ShipmentService.ShipmentServiceClient(channel), seconds: 30);
        try
        {
            await stream.SendAsync([Request(1)]);
            await stream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The call may have ended before the chunk went out; its status is read below.
        }
        var denied = await Assert.ThrowsAsync<RpcException>(stream.NextAsync);

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal((0L, 0L, 0L), await Written(sut));
    }
}
