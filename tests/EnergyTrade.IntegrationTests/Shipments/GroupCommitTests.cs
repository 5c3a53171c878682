using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Google.Rpc;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Shipments;

/// <summary>
/// CreateShipment writes the creates that arrive together in one INSERT … ON CONFLICT (request_id)
/// DO NOTHING, with the outbox rows of only the shipments actually inserted. These bursts are large
/// enough that batches form, so the conflicts happen inside one statement as well as between
/// statements; the database is then counted directly.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GroupCommitTests
{
    /// <summary>Shipments per writing transaction: rows written by one statement carry its transaction id in xmin.</summary>
    private const string RowsPerTransaction = "SELECT count(*) AS n FROM shipments GROUP BY xmin::text";

    /// <summary>Shipments without their Created event: must always be none.</summary>
    private const string ShipmentsWithoutEvent =
        "SELECT count(*) FROM shipments s LEFT JOIN outbox_messages o ON o.shipment_id = s.id WHERE o.message_id IS NULL";

    private static CreateShipmentRequest Request(int day, string requestId, decimal barrels = 100_000m) => new()
    {
        Shipment = SeedShipments.Cargo("AZ", "Azeri Light", barrels, Quantity.Types.Unit.Barrels, null, 2020, 3, day, "Supsa"),
        RequestId = requestId,
    };

    private static Guid IdOf(Shipment shipment) => Guid.Parse(shipment.Name["shipments/".Length..]);

    private static async Task<(Shipment? Reply, RpcException? Error)> Attempt(Task<Shipment> call)
    {
        try
        {
            return (await call, null);
        }
        catch (RpcException ex)
        {
            return (null, ex);
        }
    }

    [Fact]
    public async Task Hundreds_of_concurrent_creates_share_transactions_and_each_request_id_gets_one_shipment_and_one_event()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("groupcommit");
        // One broker message per event, so that Trade's queue counts events.
        var (_, shipments) = await sut.StartShipmentsAsync(environment: new Dictionary<string, string> { ["Outbox__MaxEventsPerMessage"] = "1" });

        const int distinct = 300;
        var requests = Enumerable.Range(0, distinct).Select(i => Request(i % 28 + 1, Guid.NewGuid().ToString(), 1_000m + i)).ToList();
        // Five identical retries of each of ten requests, interleaved with the rest, so some race
        // their twin inside the same statement and some against an already committed one.
        var twins = requests.Take(10).SelectMany(r => Enumerable.Repeat(r, 5)).ToList();
        var all = requests.Concat(twins).OrderBy(_ => Random.Shared.Next()).ToList();

        // Started before any is awaited, so they reach the server together.
        var calls = all.Select(r => Attempt(shipments.CreateShipmentAsync(r, Deadline(60)).ResponseAsync)).ToList();
        var outcomes = await Task.WhenAll(calls);
        var failed = outcomes.Where(o => o.Error is not null).Select(o => o.Error!.Status).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {all.Count} creates failed, e.g. {failed.FirstOrDefault()}");
        var replies = all.Select((r, i) => (Request: r, Reply: outcomes[i].Reply!)).ToList();

        // Every answer for one request_id is the same shipment, field for field, and holds that request's content.
        foreach (var group in replies.GroupBy(r => r.Request.RequestId))
        {
            var first = group.First().Reply;
            Assert.All(group, r => Assert.Equal(first, r.Reply));
            Assert.Equal(1, first.Version);
            Assert.Equal(decimal.Parse(group.First().Request.Shipment.Quantity.Value.Value, CultureInfo.InvariantCulture),
                decimal.Parse(first.Barrels.Value, CultureInfo.InvariantCulture));
        }
        var names = replies.Select(r => r.Reply.Name).Distinct().ToList();
        Assert.Equal(distinct, names.Count);

        Assert.Equal(distinct, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments"));
        Assert.Equal(distinct, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(DISTINCT request_id) FROM shipments"));
        var ids = string.Join(',', names.Select(n => $"'{n["shipments/".Length..]}'"));
        Assert.Equal(distinct, await sut.ShipmentsDb.ScalarAsync<long>($"SELECT count(*) FROM shipments WHERE id IN ({ids})"));

        Assert.Equal(await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments"),
            await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
        Assert.Equal(distinct, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(DISTINCT shipment_id) FROM outbox_messages"));
        Assert.Equal(0, await sut.ShipmentsDb.ScalarAsync<long>(ShipmentsWithoutEvent));
        Assert.Equal(distinct, await sut.ShipmentsDb.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE payload->'shipment'->>'version' = '1'"));
        // The twins' request_ids are among them once each.
        foreach (var twin in requests.Take(10))
        {
            Assert.Equal(1, await sut.ShipmentsDb.ScalarAsync<long>(
                $"SELECT count(*) FROM shipments s JOIN outbox_messages o ON o.shipment_id = s.id WHERE s.request_id = '{twin.RequestId}'"));
        }

        // And one Created revision each, the image of the row as inserted; none for the twins that lost.
        Assert.Equal(distinct, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipment_revisions"));
        Assert.Equal(distinct, await sut.ShipmentsDb.ScalarAsync<long>(
            "SELECT count(*) FROM shipment_revisions r JOIN shipments s ON s.id = r.shipment_id AND s.xmin = r.xmin " +
            "WHERE r.version = 1 AND r.kind = 'Created' AND r.update_time = s.update_time AND r.actor_subject = 'test-client' " +
            "AND r.shipment = to_jsonb(s) - 'request_id' - 'request_fingerprint'"));

        // The point of the change: creates really were committed together, not one transaction each.
        var transactions = await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM shipments");
        var largest = await sut.ShipmentsDb.ScalarAsync<long>($"SELECT max(n) FROM ({RowsPerTransaction}) t");
        Assert.True(transactions < distinct, $"{distinct} shipments were written by {transactions} transactions: no batching happened.");
        Assert.True(largest >= 2, $"the largest transaction wrote {largest} shipments");

        // And one event per shipment leaves through the relay.
        await Creates.AssertOneEventPerShipmentInTradesQueueAsync(sut, distinct);
    }

    [Fact]
    public async Task Retries_racing_in_opposite_orders_never_deadlock_two_batches()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("groupcommit-order");
        var (_, shipments) = await sut.StartShipmentsAsync();

        // Two writers commit batches side by side; when both hold the same request_ids in opposite
        // orders, each waits for the other's uncommitted row unless the statement orders its rows.
        // Before it did, 130–387 of these 2,000 calls failed with UNAVAILABLE (deadlock detected).
        for (var round = 0; round < 5; round++)
        {
            var requests = Enumerable.Range(0, 200).Select(i => Request(i % 28 + 1, Guid.NewGuid().ToString(), 2_000m + i)).ToList();
            var calls = requests.Concat(Enumerable.Reverse(requests))
                .Select(r => Attempt(shipments.CreateShipmentAsync(r, Deadline(60)).ResponseAsync)).ToList();
            var outcomes = await Task.WhenAll(calls);

            var failures = outcomes.Where(o => o.Error is not null).Select(o => $"{o.Error!.StatusCode} {o.Error.Status.Detail}").ToList();
            Assert.True(failures.Count == 0, $"round {round}: {failures.Count} of {calls.Count} creates failed, first: {failures.FirstOrDefault()}");
            for (var i = 0; i < requests.Count; i++)
            {
                Assert.Equal(outcomes[i].Reply!.Name, outcomes[calls.Count - 1 - i].Reply!.Name);
            }
        }
        Assert.Equal(1_000, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments"));
        Assert.Equal(1_000, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task Racing_creates_that_reuse_one_request_id_for_different_content_leave_one_winner_and_already_exists_for_the_rest()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("gcreuse");
        var (_, shipments) = await sut.StartShipmentsAsync();

        var requestId = Guid.NewGuid().ToString();
        const int variants = 16;
        // Content differs only in quantity, which the fingerprint covers.
        var contenders = Enumerable.Range(0, variants).Select(i => Request(5, requestId, 50_000m + i)).ToList();
        // Unrelated creates around them, so batches form and some contenders meet inside one statement.
        var background = Enumerable.Range(0, 100).Select(i => Request(i % 28 + 1, Guid.NewGuid().ToString())).ToList();
        var contenderCalls = new List<Task<(Shipment? Reply, RpcException? Error)>>();
        var backgroundCalls = new List<Task<Shipment>>();
        for (var i = 0; i < background.Count; i++)
        {
            backgroundCalls.Add(shipments.CreateShipmentAsync(background[i], Deadline(60)).ResponseAsync);
            if (i % 6 == 0 && contenderCalls.Count < variants)
            {
                contenderCalls.Add(Attempt(shipments.CreateShipmentAsync(contenders[contenderCalls.Count], Deadline(60)).ResponseAsync));
            }
        }
        while (contenderCalls.Count < variants)
        {
            contenderCalls.Add(Attempt(shipments.CreateShipmentAsync(contenders[contenderCalls.Count], Deadline(60)).ResponseAsync));
        }
        var outcomes = await Task.WhenAll(contenderCalls);
        await Task.WhenAll(backgroundCalls);

        var winner = Assert.Single(outcomes, o => o.Reply is not null).Reply!;
        var losers = outcomes.Where(o => o.Error is not null).Select(o => o.Error!).ToList();
        Assert.Equal(variants - 1, losers.Count);
        foreach (var ex in losers)
        {
            Assert.Equal(StatusCode.AlreadyExists, ex.StatusCode);
            var info = ex.GetRpcStatus()?.GetDetail<ErrorInfo>() ?? throw new Xunit.Sdk.XunitException($"No ErrorInfo detail in {ex.Status}");
            Assert.Equal("REQUEST_ID_REUSED", info.Reason);
            Assert.Equal(winner.Name, info.Metadata["shipment"]);
            Assert.Equal(requestId, info.Metadata["request_id"]);
        }

        // The stored shipment is the winner's, with its one event; nothing of the losers was written.
        var winnerId = IdOf(winner);
        Assert.Equal(1, await sut.ShipmentsDb.ScalarAsync<long>($"SELECT count(*) FROM shipments WHERE request_id = '{requestId}'"));
        Assert.Equal(decimal.Parse(winner.Barrels.Value, CultureInfo.InvariantCulture),
            await sut.ShipmentsDb.ScalarAsync<decimal>($"SELECT barrels FROM shipments WHERE id = '{winnerId}'"));
        Assert.Equal(1, await sut.ShipmentsDb.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE shipment_id = '{winnerId}'"));
        Assert.Equal(background.Count + 1, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments"));
        Assert.Equal(background.Count + 1, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
        Assert.Equal(0, await sut.ShipmentsDb.ScalarAsync<long>(ShipmentsWithoutEvent));
        Assert.Equal(background.Count + 1, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipment_revisions"));
        Assert.Equal(1, await sut.ShipmentsDb.ScalarAsync<long>($"SELECT count(*) FROM shipment_revisions WHERE shipment_id = '{winnerId}'"));

        // A later identical retry of the winner's request is still answered with the winner.
        var winning = contenders[outcomes.ToList().FindIndex(o => o.Reply is not null)];
        Assert.Equal(winner, await shipments.CreateShipmentAsync(winning, Deadline()));
    }

    [Fact]
    public async Task Creates_without_a_request_id_never_conflict_even_with_identical_content_in_one_statement()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("gcnullid");
        var (_, shipments) = await sut.StartShipmentsAsync();

        const int anonymous = 150;
        const int identified = 50;
        // Identical content: only a request_id could make two of these the same shipment, and they have none.
        var same = Request(7, "");
        var calls = Enumerable.Range(0, anonymous + identified)
            .Select(i => i % 4 == 3
                ? shipments.CreateShipmentAsync(Request(8, Guid.NewGuid().ToString()), Deadline(60)).ResponseAsync
                : shipments.CreateShipmentAsync(same, Deadline(60)).ResponseAsync)
            .ToList();
        var replies = await Task.WhenAll(calls);

        Assert.Equal(anonymous + identified, replies.Select(r => r.Name).Distinct().Count());
        Assert.Equal(anonymous, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments WHERE request_id IS NULL"));
        Assert.Equal(anonymous, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments WHERE request_id IS NULL AND request_fingerprint IS NULL"));
        Assert.Equal(anonymous + identified, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments"));
        Assert.Equal(anonymous + identified, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
        Assert.Equal(0, await sut.ShipmentsDb.ScalarAsync<long>(ShipmentsWithoutEvent));

        // Several request_id-less rows went into one statement, where a NULL colliding with a NULL would have shown.
        var largest = await sut.ShipmentsDb.ScalarAsync<long>(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM shipments WHERE request_id IS NULL GROUP BY xmin::text) t");
        Assert.True(largest >= 2, $"no transaction wrote more than {largest} request_id-less shipments");
    }

    /// <summary>
    /// The group commit's INSERT takes its columns from the EF model, and GetShipment reads them back
    /// through EF: a column left out, put in the wrong place or converted wrongly would make the stored
    /// shipment differ from the one the create answered with, or from the event published for it.
    /// </summary>
    [Fact]
    public async Task A_shipment_written_by_the_group_commit_reads_back_identical_in_every_field_and_so_does_its_event()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("groupcommitfields");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var full = SeedShipments.Cargo("KZ", "CPC Blend", 85_000.5m, Quantity.Types.Unit.MetricTonnes, 7.61m, 2020, 2, 29, "Novorossiysk",
            valueUsd: 24_765_432.17m, exporter: "RU", importer: "BY");
        full.DeliveryDate = new Google.Type.Date { Year = 2020, Month = 3, Day = 9 };
        full.Buyer = "  Mozyr   Refinery ";
        var bare = SeedShipments.Cargo("AZ", "Azeri Light", 10m, Quantity.Types.Unit.Barrels, null, 2020, 1, 1, "");
        bare.DischargePort = "";

        foreach (var (shipment, requestId) in new[] { (full, Guid.NewGuid().ToString()), (bare, "") })
        {
            var created = await shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = shipment, RequestId = requestId }, Deadline());
            var read = await shipments.GetShipmentAsync(new GetShipmentRequest { Name = created.Name }, Deadline());
            Assert.Equal(created, read);
            // Its revision's image reads back as the same shipment, every field through jsonb and back.
            var revision = Assert.Single((await shipments.ListShipmentRevisionsAsync(new ListShipmentRevisionsRequest { Name = created.Name }, Deadline())).Revisions);
            Assert.Equal(created, revision.Shipment);

            var id = IdOf(created);
            Assert.Equal(requestId.Length == 0 ? null : requestId,
                await sut.ShipmentsDb.ScalarAsync<string>($"SELECT request_id FROM shipments WHERE id = '{id}'"));
            // The event carries the stored figures, as exact decimals, not a rounded copy.
            Assert.Equal(created.Barrels.Value, await sut.ShipmentsDb.ScalarAsync<string>(
                $"SELECT payload->'shipment'->>'barrels' FROM outbox_messages WHERE shipment_id = '{id}'"));
            Assert.Equal(created.Tonnes.Value, await sut.ShipmentsDb.ScalarAsync<string>(
                $"SELECT payload->'shipment'->>'tonnes' FROM outbox_messages WHERE shipment_id = '{id}'"));
            Assert.Equal(1L, await sut.ShipmentsDb.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE shipment_id = '{id}'"));
        }
        Assert.Equal("Mozyr Refinery", await sut.ShipmentsDb.ScalarAsync<string>(
            "SELECT payload->'shipment'->>'buyer' FROM outbox_messages o JOIN shipments s ON s.id = o.shipment_id WHERE s.grade = 'CPC Blend'"));
        Assert.Equal("Mozyr Refinery", await sut.ShipmentsDb.ScalarAsync<string>("SELECT buyer FROM shipments WHERE grade = 'CPC Blend'"));
        Assert.Equal("2020-03-09", await sut.ShipmentsDb.ScalarAsync<string>(
            "SELECT delivery_date::text FROM shipments WHERE grade = 'CPC Blend'"));
        Assert.Equal("24765432.17", await sut.ShipmentsDb.ScalarAsync<string>(
            "SELECT value_usd::text FROM shipments WHERE grade = 'CPC Blend'"));
    }
}
