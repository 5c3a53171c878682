using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static EnergyTrade.EndToEnd.Tests.Proto;
using EnergyTrade.Types.V1;

namespace EnergyTrade.EndToEnd.Tests;

[Collection(SystemCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ShipmentCorrectionsTests(SystemFixture system)
{
    private static readonly int Year = 2000 + Random.Shared.Next(100, 7000);

    private async Task<Shipment> CreateAsync(decimal tonnes = 80_000m, int month = 3, string origin = "AZ") =>
        await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo(origin, "Azeri Light", tonnes, Quantity.Types.Unit.MetricTonnes, 7.5m, Year, month, 27, "Supsa", valueUsd: 30_000_000m),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline());

    private Task<BilateralTotals> Totals(int month, Basis basis = Basis.Commercial) =>
        system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(Year, month), LastMonth = Month(Year, month), Basis = basis,
        }, Deadline()).ResponseAsync;

    [Fact]
    public async Task An_amendment_replaces_the_previous_figures_in_the_totals()
    {
        var created = await CreateAsync(month: 3);
        await Eventually.MatchAsync(() => Totals(3), t => t.Exports.ShipmentCount == 1, TimeSpan.FromSeconds(30), "the 80 kt cargo");

        var amended = await system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment
            {
                Name = created.Name, Version = 1,
                Quantity = new Quantity { Value = new Google.Type.Decimal { Value = "85000" }, Unit = Quantity.Types.Unit.MetricTonnes, BarrelsPerTonne = new Google.Type.Decimal { Value = "7.5" } },
            },
            UpdateMask = FieldMask.FromString("quantity"),
        }, Deadline());
        Assert.Equal(2, amended.Version);
        Assert.Equal(637_500m, Dec(amended.Barrels));
        Assert.Equal(30_000_000m, Usd(amended.Value));
        Assert.Equal(created.LoadDate, amended.LoadDate);
        Assert.True(amended.UpdateTime.ToDateTimeOffset() >= created.UpdateTime.ToDateTimeOffset());

        var totals = await Eventually.MatchAsync(() => Totals(3), t => Dec(t.Exports.Tonnes) == 85_000m, TimeSpan.FromSeconds(30), "85 kt in the totals");
        Assert.Equal(1, totals.Exports.ShipmentCount);
        Assert.Equal(637_500m, Dec(totals.Exports.Barrels));
    }

    [Fact]
    public async Task A_buyer_can_be_recorded_later_without_touching_the_figures_and_removed_again_with_a_mask()
    {
        var created = await CreateAsync(month: 6);
        Assert.Equal("", created.Buyer);

        // No mask: only the populated field changes (AIP-134), spelled by the one rule for names.
        var named = await system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = created.Name, Version = 1, Buyer = " Mozyr   Refinery" },
        }, Deadline());
        Assert.Equal("Mozyr Refinery", named.Buyer);
        Assert.Equal(2, named.Version);
        Assert.Equal(created.Barrels, named.Barrels);
        Assert.Equal(created.Grade, named.Grade);
        Assert.Equal(named, await system.Shipments.GetShipmentAsync(new GetShipmentRequest { Name = created.Name }, Deadline()));

        var cleared = await system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = created.Name, Version = 2 }, UpdateMask = FieldMask.FromString("buyer"),
        }, Deadline());
        Assert.Equal("", cleared.Buyer);
        Assert.Equal(3, cleared.Version);
    }

    [Fact]
    public async Task A_stale_version_is_aborted_and_a_cancelled_shipment_cannot_be_updated()
    {
        var created = await CreateAsync(month: 4);
        await system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = created.Name, Grade = "Azeri BTC" }, UpdateMask = FieldMask.FromString("grade"),
        }, Deadline());

        var stale = await Assert.ThrowsAsync<RpcException>(() => system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = created.Name, Version = 1, Grade = "Azeri Light" }, UpdateMask = FieldMask.FromString("grade"),
        }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal("VERSION_MISMATCH", ErrorInfoOf(stale).Reason);

        var cancelled = await system.Shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = created.Name, Version = 2, Reason = "did not load" }, Deadline());
        Assert.Equal(Shipment.Types.State.Cancelled, cancelled.State);
        Assert.Equal(3, cancelled.Version);
        Assert.Equal("did not load", cancelled.CancelReason);

        var again = await system.Shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = created.Name }, Deadline());
        Assert.Equal(cancelled, again);

        var update = await Assert.ThrowsAsync<RpcException>(() => system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = created.Name, Grade = "Urals" }, UpdateMask = FieldMask.FromString("grade"),
        }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, update.StatusCode);

        var totals = await Eventually.MatchAsync(() => Totals(4), t => t.UpdateTime is not null && t.Exports.ShipmentCount == 0,
            TimeSpan.FromSeconds(30), "the cancellation to withdraw the cargo");
        Assert.Equal(0m, Dec(totals.Exports.Barrels));
    }

    [Fact]
    public async Task Bad_masks_and_bad_values_are_rejected_and_change_nothing()
    {
        var created = await CreateAsync(month: 5);
        var ex = await Assert.ThrowsAsync<RpcException>(() => system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = created.Name, Version = 7 },
            UpdateMask = FieldMask.FromString("barrels,colour"),
        }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.All(BadRequestOf(ex).FieldViolations, v => Assert.Equal("update_mask", v.Field));
        Assert.Equal(2, BadRequestOf(ex).FieldViolations.Count);

        var invalid = await Assert.ThrowsAsync<RpcException>(() => system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = created.Name, ImporterCountry = "AZ", LoadDate = Day(Year, 2, 30) },
            UpdateMask = FieldMask.FromString("importer_country,load_date"),
        }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains(BadRequestOf(invalid).FieldViolations, v => v.Field == "shipment.importer_country");
        Assert.Contains(BadRequestOf(invalid).FieldViolations, v => v.Field == "shipment.load_date");

        var missing = await Assert.ThrowsAsync<RpcException>(() => system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = $"shipments/{Guid.NewGuid()}", Grade = "x" }, UpdateMask = FieldMask.FromString("grade"),
        }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var unchanged = await system.Shipments.GetShipmentAsync(new GetShipmentRequest { Name = created.Name }, Deadline());
        Assert.Equal(created, unchanged);
    }

    [Fact]
    public async Task SummarizeShipments_gives_exact_sums_on_either_basis()
    {
        await CreateAsync(tonnes: 90_000m, month: 6, origin: "AZ");
        await CreateAsync(tonnes: 80_000m, month: 6, origin: "RU");
        var cancelled = await CreateAsync(tonnes: 10_000m, month: 7, origin: "AZ");
        await system.Shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = cancelled.Name }, Deadline());

        var commercial = await system.Shipments.SummarizeShipmentsAsync(new SummarizeShipmentsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(Year, 6), LastMonth = Month(Year, 7),
        }, Deadline());
        Assert.Equal(2, commercial.Exports.ShipmentCount);
        Assert.Equal(1_275_000m, Dec(commercial.Exports.Barrels));
        Assert.Equal(170_000m, Dec(commercial.Exports.Tonnes));
        Assert.Equal(60_000_000m, Usd(commercial.Turnover));
        Assert.Equal(["AZ", "RU"], commercial.Exports.ByOrigin.Select(o => o.OriginCountry));
        Assert.Single(commercial.Months);

        var origin = await system.Shipments.SummarizeShipmentsAsync(new SummarizeShipmentsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(Year, 6), LastMonth = Month(Year, 7), Basis = Basis.Origin,
        }, Deadline());
        Assert.Equal(675_000m, Dec(origin.Exports.Barrels));
        Assert.Equal(Basis.Origin, origin.Basis);

        var ex = await Assert.ThrowsAsync<RpcException>(() => system.Shipments.SummarizeShipmentsAsync(
            new SummarizeShipmentsRequest { Country = "AZ", Partner = "AZ", FirstMonth = Day(Year, 6, 1) }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["partner", "first_month"], BadRequestOf(ex).FieldViolations.Select(v => v.Field));
    }
}
