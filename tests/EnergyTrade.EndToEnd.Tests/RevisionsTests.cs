using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;
using static EnergyTrade.EndToEnd.Tests.Proto;

namespace EnergyTrade.EndToEnd.Tests;

/// <summary>
/// Both services together: Shipments' time of each version is the time Trade's as-of answers and
/// revision reports use, and what Shipments says about a revision (who, why) matches the version
/// Trade names.
/// </summary>
[Collection(SystemCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class RevisionsTests(SystemFixture system)
{
    private static readonly int Year = 2000 + Random.Shared.Next(100, 7000);

    private Task<BilateralTotals> March(Timestamp? asOf = null) => system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
    {
        Country = "AZ", Partner = "BY", FirstMonth = Month(Year, 3), LastMonth = Month(Year, 3), AsOf = asOf,
    }, Deadline()).ResponseAsync;

    [Fact]
    public async Task An_amendment_shows_in_the_history_and_as_of_an_instant_before_it_Trade_answers_the_figures_it_replaced()
    {
        var created = await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 80_000m, Quantity.Types.Unit.MetricTonnes, 7.5m, Year, 3, 27, "Supsa", valueUsd: 30_000_000m),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline());
        await Eventually.MatchAsync(() => March(), t => t.Exports.ShipmentCount == 1, TimeSpan.FromSeconds(30), "the 80 kt cargo in Trade");

        var amended = await system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment
            {
                Name = created.Name, Version = 1,
                Quantity = new Quantity { Value = new Google.Type.Decimal { Value = "85000" }, Unit = Quantity.Types.Unit.MetricTonnes, BarrelsPerTonne = new Google.Type.Decimal { Value = "7.5" } },
            },
            UpdateMask = FieldMask.FromString("quantity"),
            Reason = "Bill of lading: 85,000 t",
        }, Deadline());
        await Eventually.MatchAsync(() => March(), t => Dec(t.Exports.Barrels) == 637_500m, TimeSpan.FromSeconds(30), "85 kt in Trade");

        // Shipments' history: newest first, with why and what changed.
        var history = await system.Shipments.ListShipmentRevisionsAsync(new ListShipmentRevisionsRequest { Name = created.Name }, Deadline());
        Assert.Equal([2L, 1L], history.Revisions.Select(r => r.Shipment.Version));
        Assert.Equal("Bill of lading: 85,000 t", history.Revisions[0].Reason);
        Assert.Contains("quantity.value", history.Revisions[0].ChangedFields.Paths);
        Assert.Equal(600_000m, Dec(history.Revisions[1].Shipment.Barrels));

        // As of the instant of each version in Shipments, and a microsecond before the amendment.
        Assert.Equal(600_000m, Dec((await March(created.UpdateTime)).Exports.Barrels));
        var beforeAmendment = Timestamp.FromDateTimeOffset(amended.UpdateTime.ToDateTimeOffset().AddTicks(-10));
        Assert.Equal(600_000m, Dec((await March(beforeAmendment)).Exports.Barrels));
        Assert.Equal(637_500m, Dec((await March(amended.UpdateTime)).Exports.Barrels));
        Assert.Equal(0, (await March(Timestamp.FromDateTimeOffset(created.UpdateTime.ToDateTimeOffset().AddTicks(-10)))).Exports.ShipmentCount);

        var report = await system.Trade.GetRevisionReportAsync(new GetRevisionReportRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(Year, 1), LastMonth = Month(Year, 4), Since = beforeAmendment,
        }, Deadline());
        var change = Assert.Single(report.Changes);
        Assert.Equal(created.Name, change.Shipment);
        Assert.Equal(2, change.Version);
        Assert.Equal(amended.UpdateTime, change.UpdateTime);
        Assert.Equal(RevisedShipment.Types.Kind.Amended, change.Kind);
        Assert.Equal(37_500m, Dec(change.Exports.Barrels));
        Assert.Equal(37_500m, Dec(report.Months[2].Exports.Change.Barrels));
    }
}
