using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;
using static EnergyTrade.IntegrationTests.Shipments.Creates;
using Outcome = EnergyTrade.Shipments.V1.BatchCreateResult.Types.Outcome;

namespace EnergyTrade.IntegrationTests.Shipments;

/// <summary>
/// BatchCreateShipments (AIP-233) is per item: each item is answered as CreateShipment would answer it
/// alone, valid items are written through the group commit and the rest reported; validate_only
/// (AIP-163) answers the same and writes nothing. The database is counted directly.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BatchCreateTests
{
    private static BatchCreateShipmentsRequest Batch(IEnumerable<CreateShipmentRequest> requests, bool validateOnly = false)
    {
        var batch = new BatchCreateShipmentsRequest { ValidateOnly = validateOnly };
        batch.Requests.AddRange(requests);
        return batch;
    }

    [Fact]
    public async Task A_batch_of_a_thousand_valid_shipments_is_created_in_request_order_by_a_handful_of_transactions_with_one_revision_and_one_event_each()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("batch1000");
        // One broker message per event, so that Trade's queue counts events.
        var (_, shipments) = await sut.StartShipmentsAsync(environment: new Dictionary<string, string> { ["Outbox__MaxEventsPerMessage"] = "1" });
        var requests = Enumerable.Range(0, 1_000).Select(i => Request(i)).ToList();

        var response = await shipments.BatchCreateShipmentsAsync(Batch(requests), Deadline(120));

        Assert.Equal(1_000, response.Results.Count);
        Assert.Equal(Enumerable.Range(0, 1_000), response.Results.Select(r => r.Index));
        Assert.All(response.Results, r => Assert.Equal(Outcome.Created, r.Outcome));
        Assert.All(response.Results, r => Assert.Null(r.Status));
        Assert.Equal(response.Results.Select(r => r.Shipment), response.Shipments);
        for (var i = 0; i < requests.Count; i++)
        {
            // In request order: each answer holds its own request's quantity.
            Assert.Equal(1_000m + i, decimal.Parse(response.Shipments[i].Barrels.Value, CultureInfo.InvariantCulture));
        }
        Assert.Equal(1_000, response.Shipments.Select(s => s.Name).Distinct().Count());
        Assert.Equal((1_000L, 1_000L, 1_000L), await Written(sut));
        Assert.Equal(1_000, await WrittenWhole(sut));

        // The items went through the group commit together, not one transaction each.
        var transactions = await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM shipments");
        Assert.True(transactions <= 50, $"1,000 shipments were written by {transactions} transactions");

        await AssertOneEventPerShipmentInTradesQueueAsync(sut, 1_000);
    }

    [Fact]
    public async Task Each_item_of_a_mixed_batch_gets_its_own_outcome_and_the_invalid_one_changes_nothing()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("batchmixed");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var earlier = Request(1);
        var taken = Request(2);
        var earlierShipment = await shipments.CreateShipmentAsync(earlier, Deadline());
        var takenShipment = await shipments.CreateShipmentAsync(taken, Deadline());

        var invalid = Request(3);
        invalid.Shipment.Quantity.Value.Value = "0";
        var fresh = Request(4);
        var reuse = Request(5, taken.RequestId);
        var batch = Batch([fresh, invalid, earlier, reuse, Request(6), fresh]);

        var response = await shipments.BatchCreateShipmentsAsync(batch, Deadline(60));

        Assert.Equal([Outcome.Created, Outcome.Invalid, Outcome.AlreadyPresent, Outcome.RequestIdReused, Outcome.Created, Outcome.AlreadyPresent],
            response.Results.Select(r => r.Outcome));
        Assert.Equal([0, 1, 2, 3, 4, 5], response.Results.Select(r => r.Index));

        var bad = response.Results[1];
        Assert.Null(bad.Shipment);
        Assert.Equal((int)Code.InvalidArgument, bad.Status.Code);
        Assert.Equal(["requests[1].shipment.quantity.value"], ViolatedFields(bad.Status));
        Assert.Contains("requests[1].shipment.quantity.value", bad.Status.Message, StringComparison.Ordinal);

        Assert.Equal(earlierShipment, response.Results[2].Shipment);
        var reused = response.Results[3];
        Assert.Null(reused.Shipment);
        Assert.Equal((int)Code.AlreadyExists, reused.Status.Code);
        var info = ErrorInfoOf(reused.Status);
        Assert.Equal("REQUEST_ID_REUSED", info.Reason);
        Assert.Equal(takenShipment.Name, info.Metadata["shipment"]);
        // The same request twice in one batch: the later is answered as a retry of the earlier.
        Assert.Equal(response.Results[0].Shipment, response.Results[5].Shipment);

        // shipments: those created or present, in request order, the failed left out.
        Assert.Equal(new[] { 0, 2, 4, 5 }.Select(i => response.Results[i].Shipment), response.Shipments);
        // Two before, two created by the batch; nothing of the invalid or the reused item.
        Assert.Equal((4L, 4L, 4L), await Written(sut));
        Assert.Equal(0, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments WHERE barrels = 1005"));
        Assert.Equal(decimal.Parse(takenShipment.Barrels.Value, CultureInfo.InvariantCulture),
            await sut.ShipmentsDb.ScalarAsync<decimal>($"SELECT barrels FROM shipments WHERE request_id = '{taken.RequestId}'"));
    }

    [Fact]
    public async Task Re_sending_a_batch_creates_nothing_new_and_answers_every_item_as_already_present()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("batchresend");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var batch = Batch(Enumerable.Range(0, 100).Select(i => Request(i)));

        var first = await shipments.BatchCreateShipmentsAsync(batch, Deadline(60));
        var again = await shipments.BatchCreateShipmentsAsync(batch, Deadline(60));

        Assert.All(first.Results, r => Assert.Equal(Outcome.Created, r.Outcome));
        Assert.All(again.Results, r => Assert.Equal(Outcome.AlreadyPresent, r.Outcome));
        Assert.Equal(first.Shipments, again.Shipments);
        Assert.Equal((100L, 100L, 100L), await Written(sut));
    }

    [Fact]
    public async Task Validate_only_answers_a_batch_a_create_and_an_update_as_without_it_and_writes_nothing()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("batchvalidate");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var stored = Request(1);
        var storedShipment = await shipments.CreateShipmentAsync(stored, Deadline());
        var before = await Written(sut);

        var invalid = Request(2);
        invalid.Shipment.ExporterCountry = "ZZ";
        var fresh = Request(3);
        var batch = await shipments.BatchCreateShipmentsAsync(Batch([fresh, invalid, stored], validateOnly: true), Deadline(60));
        Assert.Equal([Outcome.Valid, Outcome.Invalid, Outcome.AlreadyPresent], batch.Results.Select(r => r.Outcome));
        Assert.Equal(["requests[1].shipment.exporter_country"], ViolatedFields(batch.Results[1].Status));
        Assert.Equal(storedShipment, batch.Results[2].Shipment);
        var wouldBe = batch.Results[0].Shipment;
        Assert.Equal("", wouldBe.Name);
        Assert.Null(wouldBe.CreateTime);
        Assert.Equal(1, wouldBe.Version);
        Assert.Equal(1_003m, decimal.Parse(wouldBe.Barrels.Value, CultureInfo.InvariantCulture));
        Assert.Equal(new[] { wouldBe, storedShipment }, batch.Shipments);

        // CreateShipment: the same answer as its batch item, and the same error.
        fresh.ValidateOnly = true;
        Assert.Equal(wouldBe, await shipments.CreateShipmentAsync(fresh, Deadline()));
        invalid.ValidateOnly = true;
        var refused = await Assert.ThrowsAsync<RpcException>(() => shipments.CreateShipmentAsync(invalid, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["shipment.exporter_country"], ViolatedFields(refused.GetRpcStatus()!));

        // UpdateShipment: the stored shipment loaded, merged and checked; the answer keeps the stored version.
        var update = new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = storedShipment.Name, Version = 1, Quantity = new Quantity { Value = new Google.Type.Decimal { Value = "2000" }, Unit = Quantity.Types.Unit.Barrels } },
            UpdateMask = FieldMask.FromString("quantity"),
            ValidateOnly = true,
        };
        var updated = await shipments.UpdateShipmentAsync(update, Deadline());
        Assert.Equal(2_000m, decimal.Parse(updated.Barrels.Value, CultureInfo.InvariantCulture));
        Assert.Equal(1, updated.Version);
        Assert.Equal(storedShipment.UpdateTime, updated.UpdateTime);
        update.Shipment.Version = 2;
        var stale = await Assert.ThrowsAsync<RpcException>(() => shipments.UpdateShipmentAsync(update, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        update.Shipment.Version = 1;
        update.Shipment.Quantity.Value.Value = "-1";
        var invalidUpdate = await Assert.ThrowsAsync<RpcException>(() => shipments.UpdateShipmentAsync(update, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalidUpdate.StatusCode);

        // Nothing was written by any of them: no row, no revision, no event, and the stored one unchanged.
        Assert.Equal(before, await Written(sut));
        Assert.Equal(storedShipment, await shipments.GetShipmentAsync(new GetShipmentRequest { Name = storedShipment.Name }, Deadline()));
    }

    [Fact]
    public async Task No_requests_more_than_a_thousand_or_one_request_id_for_two_shipments_is_invalid_argument_for_the_whole_call()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("batchbounds");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var twin = Request(2);
        var clash = Request(3, twin.RequestId);

        foreach (var (batch, field) in new[]
        {
            (Batch([]), "requests"),
            (Batch(Enumerable.Range(0, 1_001).Select(i => Request(i))), "requests"),
            (Batch([Request(1), twin, Request(4), clash]), "requests[3].request_id"),
        })
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => shipments.BatchCreateShipmentsAsync(batch, Deadline(60)).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            Assert.Equal([field], ViolatedFields(ex.GetRpcStatus()!));
        }
        var duplicate = await Assert.ThrowsAsync<RpcException>(() =>
            shipments.BatchCreateShipmentsAsync(Batch([Request(1), twin, clash]), Deadline()).ResponseAsync);
        Assert.Contains("requests[1]", duplicate.Status.Detail, StringComparison.Ordinal);
        Assert.Equal((0L, 0L, 0L), await Written(sut));
    }

    [Fact]
    public async Task An_item_only_checked_does_not_stand_for_a_later_item_with_its_request_id_that_is_a_real_create()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("batchcheckfirst");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var real = Request(1);
        var checkedOnly = real.Clone();
        checkedOnly.ValidateOnly = true;

        var response = await shipments.BatchCreateShipmentsAsync(Batch([checkedOnly, real]), Deadline(60));

        Assert.Equal([Outcome.Valid, Outcome.Created], response.Results.Select(r => r.Outcome));
        Assert.StartsWith("shipments/", response.Results[1].Shipment.Name, StringComparison.Ordinal);
        Assert.Equal((1L, 1L, 1L), await Written(sut));
    }
}
