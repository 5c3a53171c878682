using System.Globalization;
using EnergyTrade.Client.Reconciliation;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Pipeline;

/// <summary>
/// Amendments, cancellations, duplicated and reordered events and a wipe-and-rebuild of Trade, each
/// followed by a reconciliation of Trade against Shipments' own sums that must find nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CorrectionsTests
{
    private static readonly DateOnly Jan2020 = new(2020, 1, 1);
    private static readonly DateOnly Apr2020 = new(2020, 4, 1);

    private static decimal Dec(Google.Type.Decimal d) => decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static Task<BilateralTotals> JanToApr(TradeService.TradeServiceClient trade) =>
        trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY",
            FirstMonth = new Google.Type.Date { Year = 2020, Month = 1 }, LastMonth = new Google.Type.Date { Year = 2020, Month = 4 },
        }, Deadline()).ResponseAsync;

    private static async Task<ReconciliationReport> ReconciledAsync(Reconciler reconciler, string what)
    {
        // Events are asynchronous: wait until Trade has caught up, then demand exact agreement.
        var report = await Eventually.MatchAsync(() => reconciler.ReconcileAsync("AZ", "BY", Jan2020, Apr2020),
            r => r.Agrees, TimeSpan.FromSeconds(30), $"Trade to agree with Shipments after {what}");
        Assert.True((await reconciler.ReconcileAsync("AZ", "BY", Jan2020, Apr2020, originBasis: true)).Agrees, $"origin basis after {what}");
        Assert.True((await reconciler.ReconcileAsync("AZ", "BY")).Agrees, $"all months after {what}");
        return report;
    }

    [Fact]
    public async Task The_Supsa_cargo_amended_from_80_to_85_kt_moves_the_totals_by_exactly_5_kt_and_cancelling_removes_it()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("amend");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var (_, trade) = await sut.StartTradeAsync();
        var reconciler = new Reconciler(shipments, trade);

        foreach (var cargo in SeedShipments.AzerbaijanToBelarus2020())
        {
            await shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = cargo, RequestId = Guid.NewGuid().ToString() }, Deadline());
        }
        await ReconciledAsync(reconciler, "the seed");
        var seed = await JanToApr(trade);
        Assert.Equal(3_830_000m, Dec(seed.Exports.Barrels));

        // The buyer records the late-March Supsa cargo at 80 kt…
        var supsa = await shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 80_000m, Quantity.Types.Unit.MetricTonnes, 7.5m, 2020, 3, 27, "Supsa"),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline());
        await ReconciledAsync(reconciler, "the 80 kt record");
        var buyer = await JanToApr(trade);
        Assert.Equal(Dec(seed.Exports.Tonnes) + 80_000m, Dec(buyer.Exports.Tonnes));

        // …and the seller amends it to 85 kt.
        var amended = await shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment
            {
                Name = supsa.Name, Version = supsa.Version,
                Quantity = new Quantity { Value = new Google.Type.Decimal { Value = "85000" }, Unit = Quantity.Types.Unit.MetricTonnes, BarrelsPerTonne = new Google.Type.Decimal { Value = "7.5" } },
            },
            UpdateMask = FieldMask.FromString("quantity"),
        }, Deadline());
        Assert.Equal(2, amended.Version);
        Assert.Equal(637_500m, Dec(amended.Barrels));
        await ReconciledAsync(reconciler, "the 85 kt amendment");
        var seller = await JanToApr(trade);
        Assert.Equal(5_000m, Dec(seller.Exports.Tonnes) - Dec(buyer.Exports.Tonnes));
        Assert.Equal(37_500m, Dec(seller.Exports.Barrels) - Dec(buyer.Exports.Barrels));
        Assert.Equal(buyer.Exports.ShipmentCount, seller.Exports.ShipmentCount);

        var cancelled = await shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = supsa.Name, Version = 2, Reason = "booked twice" }, Deadline());
        Assert.Equal(Shipment.Types.State.Cancelled, cancelled.State);
        await ReconciledAsync(reconciler, "the cancellation");
        var after = await JanToApr(trade);
        Assert.Equal(Dec(seed.Exports.Barrels), Dec(after.Exports.Barrels));
        Assert.Equal(Dec(seed.Exports.Tonnes), Dec(after.Exports.Tonnes));
        Assert.Equal(seed.Exports.ShipmentCount, after.Exports.ShipmentCount);
    }

    [Fact]
    public async Task Duplicated_and_reordered_events_injected_into_RabbitMQ_change_nothing()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("replay");
        var (_, shipments) = await sut.StartShipmentsAsync();
        var (_, trade) = await sut.StartTradeAsync();
        var reconciler = new Reconciler(shipments, trade);

        var created = new List<Shipment>();
        foreach (var cargo in SeedShipments.AzerbaijanToBelarus2020())
        {
            created.Add(await shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = cargo }, Deadline()));
        }
        // Three versions of the March Urals cargo, then a cancelled Ceyhan cargo.
        var urals = created[3];
        for (var tonnes = 81_000; tonnes <= 82_000; tonnes += 1_000)
        {
            urals = await shipments.UpdateShipmentAsync(new UpdateShipmentRequest
            {
                Shipment = new Shipment { Name = urals.Name, Quantity = new Quantity { Value = new Google.Type.Decimal { Value = tonnes.ToString(CultureInfo.InvariantCulture) }, Unit = Quantity.Types.Unit.MetricTonnes, BarrelsPerTonne = new Google.Type.Decimal { Value = "7.25" } } },
                UpdateMask = FieldMask.FromString("quantity"),
            }, Deadline());
        }
        await shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = created[2].Name }, Deadline());
        await ReconciledAsync(reconciler, "amendments and a cancellation");
        var settled = await JanToApr(trade);

        // Every event ever written, newest first, three times over, straight into Trade's exchange.
        var payloads = new List<string>();
        await using (var connection = new NpgsqlConnection(sut.ShipmentsDb.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT payload::text FROM outbox_messages ORDER BY id DESC", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) payloads.Add(reader.GetString(0));
        }
        Assert.Equal(5 + 2 + 1, payloads.Count);
        await using (var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri))
        {
            for (var round = 0; round < 3; round++)
            {
                foreach (var payload in payloads) await raw.PublishPayloadAsync(payload);
            }
        }
        await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(Contracts.QueueNames.TradeShipmentEvents),
            q => q?.Total == 0, TimeSpan.FromSeconds(60), "Trade to absorb 24 replayed events");

        await ReconciledAsync(reconciler, "24 duplicated and reordered events");
        var replayed = await JanToApr(trade);
        Assert.Equal(settled.Exports, replayed.Exports);
        Assert.Equal(3_830_000m - 675_000m + 2_000m * 7.25m, Dec(replayed.Exports.Barrels));
    }

    [Fact]
    public async Task An_empty_Trade_database_is_rebuilt_by_republishing_every_snapshot()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("rebuild");
        var (shipmentsProcess, shipments) = await sut.StartShipmentsAsync();
        var (tradeProcess, trade) = await sut.StartTradeAsync();
        var reconciler = new Reconciler(shipments, trade);

        var created = new List<Shipment>();
        foreach (var cargo in SeedShipments.AzerbaijanToBelarus2020())
        {
            created.Add(await shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = cargo }, Deadline()));
        }
        await shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = created[0].Name, Reason = "test" }, Deadline());
        await ReconciledAsync(reconciler, "the seed with a cancellation");
        var before = await JanToApr(trade);

        // Wipe Trade: kill it, drop its database, start it again on an empty one.
        await tradeProcess.KillAsync();
        await sut.TradeDb.DropAsync();
        var (_, rebuilt) = await sut.StartTradeAsync();
        var empty = await JanToApr(rebuilt);
        Assert.Equal(0, empty.Exports.ShipmentCount);
        var stale = await new Reconciler(shipments, rebuilt).ReconcileAsync("AZ", "BY", Jan2020, Apr2020);
        Assert.False(stale.Agrees);
        Assert.Contains(stale.Differences, d => d.Period == "2020-02" && d.Measure == "barrels" && d.Shipments == 1_200_000m && d.Trade == 0m);

        // Today's clients' synchronous call still works: it runs the same operation and waits for it.
#pragma warning disable CS0612, CS0618
        var republished = await shipments.RepublishShipmentsAsync(new RepublishShipmentsRequest(), Deadline(60));
#pragma warning restore CS0612, CS0618
        Assert.Equal(5, republished.RepublishedCount);
        await ReconciledAsync(new Reconciler(shipments, rebuilt), "the rebuild");
        var after = await JanToApr(rebuilt);
        Assert.Equal(before.Exports, after.Exports);
        Assert.Equal(3_130_000m, Dec(after.Exports.Barrels));

        // Republishing again to a Trade that holds every version changes nothing.
        var operation = await shipments.StartShipmentRepublishAsync(new RepublishShipmentsRequest { ExporterCountry = "AZ" }, Deadline());
        using var channel = TestAuth.Channel(shipmentsProcess.GrpcUrl);
        var operations = new Google.LongRunning.Operations.OperationsClient(channel);
        var done = await operations.WaitOperationAsync(new Google.LongRunning.WaitOperationRequest { Name = operation.Name }, Deadline(60));
        Assert.True(done.Done);
        Assert.Equal(5, done.Response.Unpack<RepublishShipmentsResponse>().RepublishedCount);
        await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(Contracts.QueueNames.TradeShipmentEvents),
            q => q?.Total == 0, TimeSpan.FromSeconds(30), "the second republish to drain");
        Assert.Equal(before.Exports, (await JanToApr(rebuilt)).Exports);
    }
}
