using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using static EnergyTrade.EndToEnd.Tests.Proto;
using static EnergyTrade.EndToEnd.Tests.SeedTotals;
using Outcome = EnergyTrade.Shipments.V1.BatchCreateResult.Types.Outcome;

namespace EnergyTrade.EndToEnd.Tests;

/// <summary>
/// A system of its own, run after the parallel collections: the seed's AZ→BY Jan–Apr 2020 totals are
/// also what <see cref="SeedScenarioTests"/> checks, on a fresh system exactly, so the two must not share one.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeedImportCollection : ICollectionFixture<SystemFixture>
{
    public const string Name = "seed import";
}

/// <summary>The seed file through ImportShipments, as a client that imports files would send it.</summary>
[Collection(SeedImportCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SeedImportTests(SystemFixture system)
{
    private async Task<List<ImportResult>> ImportInTwoChunksAsync(List<CreateShipmentRequest> rows)
    {
        var answers = await ImportStream.ImportAsync(system.Shipments, [rows[..3], rows[3..]]);
        Assert.Equal([3, 2], answers.Select(a => a.Results.Count));
        var results = answers.SelectMany(a => a.Results).ToList();
        Assert.Equal([0L, 1L, 2L, 3L, 4L], results.Select(r => r.Index));
        return results;
    }

    [Fact]
    public async Task The_seed_files_rows_imported_in_two_chunks_give_the_articles_figures_and_importing_them_again_changes_nothing()
    {
        // The file's request_ids behind a prefix of this run's: on a shared stack that already holds the seed, these count too.
        var rows = SeedFile.Requests($"e2e-{Guid.NewGuid():N}-");
        Assert.Equal(SeedShipments.AzerbaijanToBelarus2020(), rows.Select(r => r.Shipment));
        var before = await system.Trade.GetBilateralTotalsAsync(AzBy(), Deadline());

        var first = await ImportInTwoChunksAsync(rows);

        Assert.All(first, r => Assert.Equal(Outcome.Created, r.Outcome));
        Assert.Equal(5, first.Select(r => r.Name).Distinct().Count());
        var after = await SeedCountedAsync(system.Trade, before);
        AssertSeedAdded(before, after);
        if (system.FreshSystem) AssertExactlyTheSeed(after);

        var again = await ImportInTwoChunksAsync(rows);

        Assert.Equal(first.Select(r => (Outcome.AlreadyPresent, r.Name)), again.Select(r => (r.Outcome, r.Name)));
        // A cargo recorded after the second import, in a year of its own: once Trade counts it, whatever the
        // second import might have published has had its time to arrive too.
        var year = 2000 + Random.Shared.Next(100, 7000);
        await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1_000m, Quantity.Types.Unit.Barrels, null, year, 1, 10, "Supsa"),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline());
        await Eventually.MatchAsync(
            () => system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY", FirstMonth = Month(year, 1), LastMonth = Month(year, 1) }, Deadline()).ResponseAsync,
            t => t.Exports.ShipmentCount == 1, TimeSpan.FromSeconds(30), "Trade to count the cargo recorded after the second import");
        var unchanged = await system.Trade.GetBilateralTotalsAsync(AzBy(), Deadline());
        Assert.Equal(after.Exports, unchanged.Exports);
        Assert.Equal(after.Imports, unchanged.Imports);
    }
}
