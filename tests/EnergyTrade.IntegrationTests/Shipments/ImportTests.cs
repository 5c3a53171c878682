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
    public async Task Validate_only_set_by_the_first_chunk_answers_each_item_and_writes_nothing_and_a_later_chunk_without_it_fails_the_stream()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("importvalidate");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var stored = Request(1);
        var storedShipment = await shipments.CreateShipmentAsync(stored, Deadline());
        var before = await Written(sut);

        var fresh = Request(2);
        var invalid = Request(3);
        invalid.Shipment.ExporterCountry = "ZZ";
        using var stream = new ImportStream(shipments);
        await stream.SendAsync([fresh, invalid, stored.Clone(), fresh.Clone()], validateOnly: true);
        await stream.SendAsync([Request(4)], validateOnly: true);
        await stream.SendAsync([Request(5)], validateOnly: false);
        var (answers, refused) = await stream.ReadToFailureAsync();

        Assert.NotNull(refused);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["validate_only"], ViolatedFields(refused.GetRpcStatus()!));
        // Nothing was written: not the valid items, not the chunk that dropped validate_only.
        Assert.Equal(before, await Written(sut));
        Assert.Equal(0, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments WHERE barrels <> 1001"));

        // The two chunks checked before the one that dropped validate_only were answered before the stream failed.
        Assert.True(answers.Count == 2, $"{answers.Count} answers came before the stream failed; the two validate_only chunks sent before the bad one were not answered");
        var checkedFirst = answers[0].Results;
        Assert.Equal([Outcome.Valid, Outcome.Invalid, Outcome.AlreadyPresent, Outcome.AlreadyPresent], checkedFirst.Select(r => r.Outcome));
        Assert.Equal(Indexes(0, 4), checkedFirst.Select(r => r.Index));
        // Only a write gives a name.
        Assert.Equal("", checkedFirst[0].Name);
        Assert.Null(checkedFirst[0].Status);
        Assert.Equal(["shipment.exporter_country"], ViolatedFields(checkedFirst[1].Status));
        Assert.Equal(storedShipment.Name, checkedFirst[2].Name);
        var checkedSecond = answers[1].Results.Single();
        Assert.Equal((4L, Outcome.Valid), (checkedSecond.Index, checkedSecond.Outcome));
    }

    [Fact]
    public async Task An_empty_chunk_or_one_of_1001_fails_the_stream_on_requests_after_the_chunks_before_it_were_answered_and_written()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("importbounds");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var requests = Enumerable.Range(0, 1_000).Select(i => Request(i)).ToArray();

        var answered = new List<(int Expected, List<ImportShipmentsResponse> Received)>();
        foreach (var (before, bad) in new (CreateShipmentRequest[][] Before, CreateShipmentRequest[] Bad)[]
        {
            ([requests[..300], requests[300..600]], []),
            ([requests[600..]], Enumerable.Range(0, 1_001).Select(i => Request(i)).ToArray()),
        })
        {
            using var stream = new ImportStream(shipments);
            foreach (var chunk in before) await stream.SendAsync(chunk);
            await stream.SendAsync(bad);
            var (answers, refused) = await stream.ReadToFailureAsync();

            Assert.NotNull(refused);
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            Assert.Equal(["requests"], ViolatedFields(refused.GetRpcStatus()!));
            answered.Add((before.Length, answers));
        }

        // The chunks before each bad one are written, and nothing of the bad ones.
        Assert.Equal((1_000L, 1_000L, 1_000L), await Written(sut));
        var names = await NamesByRequestId(sut);
        Assert.All(requests, r => Assert.True(names.ContainsKey(r.RequestId)));

        // ... and were answered before the stream failed, so the client knows where it stands.
        Assert.True(answered.All(a => a.Received.Count == a.Expected),
            $"Answers before the failure: {string.Join(" and ", answered.Select(a => $"{a.Received.Count} of {a.Expected}"))}; the chunks were written but not answered");
        var results = answered.Select(a => a.Received.SelectMany(r => r.Results).ToList()).ToList();
        Assert.Equal(Indexes(0, 600), results[0].Select(r => r.Index));
        Assert.Equal(Indexes(0, 400), results[1].Select(r => r.Index));
        Assert.Equal(requests.Select(r => names[r.RequestId]), results.SelectMany(r => r).Select(r => r.Name));
        Assert.All(results.SelectMany(r => r), r => Assert.Equal(Outcome.Created, r.Outcome));
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

    [Fact]
    public async Task A_chunk_is_answered_once_its_items_are_written_without_waiting_for_later_chunks_or_the_end_of_the_stream()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("importlockstep");
        var (_, shipments) = await sut.StartShipmentsAsync();
        using var stream = new ImportStream(shipments, seconds: 120);

        // A client that sends a chunk and waits for its answer before it sends the next.
        await stream.SendAsync([Request(1), Request(2)]);
        await Eventually.MatchAsync(() => ShipmentRows(sut), n => n == 2, TimeSpan.FromSeconds(30), "the chunk's two shipments to be written");
        var next = stream.NextAsync();
        var answeredInTime = await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(15))) == next;

        await stream.CompleteAsync();
        var answer = await next;
        Assert.Equal([Outcome.Created, Outcome.Created], answer!.Results.Select(r => r.Outcome));
        Assert.True(answeredInTime, "The chunk's shipments were written but its answer did not come within 15 s: " +
            "it came only when the client closed its side of the stream (or, as the service reads, three more chunks arrived).");
    }

    [Fact]
    public async Task An_item_repeating_the_shipment_its_request_id_holds_is_already_present_even_after_an_item_that_reused_that_request_id()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("importrepeat");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var earlier = Request(1);
        var earlierShipment = await shipments.CreateShipmentAsync(earlier, Deadline());

        var answers = await ImportStream.ImportAsync(shipments, [[Request(2, earlier.RequestId), earlier.Clone()]]);

        var results = answers.Single().Results;
        Assert.Equal(Outcome.RequestIdReused, results[0].Outcome);
        Assert.Equal((Outcome.AlreadyPresent, earlierShipment.Name), (results[1].Outcome, results[1].Name));
    }

    [Fact]
    public async Task Validate_only_answers_a_request_id_that_later_chunks_repeat_as_the_import_would()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("importvalidatereuse");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var fresh = Request(1);

        // Imported, the second chunk's item would be REQUEST_ID_REUSED and the third's ALREADY_PRESENT.
        var wouldBe = await ImportStream.ImportAsync(shipments, [[fresh], [Request(2, fresh.RequestId)], [fresh.Clone()]], validateOnly: true);

        Assert.Equal([Outcome.Valid, Outcome.RequestIdReused, Outcome.AlreadyPresent], wouldBe.SelectMany(a => a.Results).Select(r => r.Outcome));
        Assert.Equal((0L, 0L, 0L), await Written(sut));
    }

    [Fact]
    public async Task The_first_item_in_the_stream_keeps_its_request_id_when_a_later_chunk_reuses_it_for_another_shipment()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("importfirstwins");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var lost = new List<int>();
        for (var round = 0; round < 10; round++)
        {
            // The shared request_id sorts after every GUID, so it is the last row its batch inserts.
            var requestId = $"zz-{Guid.NewGuid()}";
            CreateShipmentRequest[] first = [.. Enumerable.Range(0, 999).Select(i => Request(i)), Request(10_000 + round, requestId)];
            CreateShipmentRequest[] second = [Request(20_000 + round, requestId)];

            var results = (await ImportStream.ImportAsync(shipments, [first, second])).SelectMany(a => a.Results).ToList();

            var stored = await sut.ShipmentsDb.ScalarAsync<decimal>($"SELECT barrels FROM shipments WHERE request_id = '{requestId}'");
            output.WriteLine($"round {round}: item 999 {results[999].Outcome}, item 1000 {results[1_000].Outcome}, stored {stored} bbl");
            if (results[999].Outcome != Outcome.Created || results[1_000].Outcome != Outcome.RequestIdReused || stored != 11_000 + round) lost.Add(round);
        }
        Assert.True(lost.Count == 0, $"In rounds {string.Join(", ", lost)} of 10 the later chunk's shipment took the request_id from the earlier item.");
    }
}
