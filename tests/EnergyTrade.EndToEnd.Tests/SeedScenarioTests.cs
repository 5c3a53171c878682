using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using static EnergyTrade.EndToEnd.Tests.Proto;
using static EnergyTrade.EndToEnd.Tests.SeedTotals;

namespace EnergyTrade.EndToEnd.Tests;

[Collection(SystemCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SeedScenarioTests(SystemFixture system)
{
    [Fact]
    public async Task Jan_to_Apr_2020_cargoes_give_the_articles_3_83_million_barrels_split_by_origin()
    {
        var before = await system.Trade.GetBilateralTotalsAsync(AzBy(), Deadline());
        var beforeMirror = await system.Trade.GetBilateralTotalsAsync(AzBy("BY", "AZ"), Deadline());

        foreach (var cargo in SeedShipments.AzerbaijanToBelarus2020())
        {
            var created = await system.Shipments.CreateShipmentAsync(
                new CreateShipmentRequest { Shipment = cargo, RequestId = Guid.NewGuid().ToString() }, Deadline());
            Assert.StartsWith("shipments/", created.Name);
            Assert.Equal(1, created.Version);
            Assert.Equal(Shipment.Types.State.Active, created.State);
        }

        var after = await SeedCountedAsync(system.Trade, before);

        AssertSeedAdded(before, after);
        if (system.FreshSystem) AssertExactlyTheSeed(after);

        // The mirror query sees the same cargoes as Belarus's imports.
        var mirror = await system.Trade.GetBilateralTotalsAsync(AzBy("BY", "AZ"), Deadline());
        Assert.Equal(Dec(beforeMirror.Imports.Barrels) + SeedShipments.TotalBarrels, Dec(mirror.Imports.Barrels));
        Assert.Equal(after.Exports.ShipmentCount, mirror.Imports.ShipmentCount);
        Assert.Equal(Dec(after.Exports.Tonnes), Dec(mirror.Imports.Tonnes));
        Assert.Equal(Dec(beforeMirror.Exports.Barrels), Dec(mirror.Exports.Barrels));
    }

    [Fact]
    public async Task Values_give_turnover_and_balance_from_both_directions()
    {
        // Jan–Feb 2020 per the article: Azerbaijan exported $3.3 M to Belarus and imported $55.9 M.
        // A random far year, and figures taken as changes from what the pair held before: an earlier
        // test on a shared stack may have drawn the same year.
        var year = 2000 + Random.Shared.Next(100, 7000);
        var request = new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY", FirstMonth = Month(year, 1), LastMonth = Month(year, 2) };
        var before = await system.Trade.GetBilateralTotalsAsync(request, Deadline());
        await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 40_000m, Quantity.Types.Unit.Barrels, null, year, 1, 10, "Supsa", valueUsd: 3_300_000m),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline());
        await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("BY", "Diesel", 400_000m, Quantity.Types.Unit.Barrels, null, year, 2, 3, "Mozyr", valueUsd: 55_900_000m, exporter: "BY", importer: "AZ"),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline());
        await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            // Unvalued: counted in volumes and shipment_count, not in valued_shipment_count.
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 10_000m, Quantity.Types.Unit.Barrels, null, year, 2, 20, "Supsa"),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline());

        var totals = await Eventually.MatchAsync(
            () => system.Trade.GetBilateralTotalsAsync(request, Deadline()).ResponseAsync,
            t => t.Exports.ShipmentCount + t.Imports.ShipmentCount == before.Exports.ShipmentCount + before.Imports.ShipmentCount + 3,
            TimeSpan.FromSeconds(30), "three more shipments");

        Assert.Equal(3_300_000m, Usd(totals.Exports.Value) - Usd(before.Exports.Value));
        Assert.Equal(55_900_000m, Usd(totals.Imports.Value) - Usd(before.Imports.Value));
        Assert.Equal(59_200_000m, Usd(totals.Turnover) - Usd(before.Turnover));
        Assert.Equal(-52_600_000m, Usd(totals.Balance) - Usd(before.Balance));
        Assert.Equal("USD", totals.Balance.CurrencyCode);
        Assert.Equal(2, totals.Exports.ShipmentCount - before.Exports.ShipmentCount);
        Assert.Equal(1, totals.Exports.ValuedShipmentCount - before.Exports.ValuedShipmentCount);
        Assert.Equal(50_000m, Dec(totals.Exports.Barrels) - Dec(before.Exports.Barrels));
    }

    [Fact]
    public async Task A_pair_with_no_shipments_returns_zeros()
    {
        var totals = await system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "IS", Partner = "NR" }, Deadline());
        Assert.Equal(0, totals.Exports.ShipmentCount);
        Assert.Equal(0m, Dec(totals.Exports.Barrels));
        Assert.Equal(0m, Usd(totals.Turnover));
        Assert.Empty(totals.Imports.ByOrigin);
        Assert.Null(totals.UpdateTime);
    }
}
