using EnergyTrade.Cli.Csv;
using EnergyTrade.Cli.Input;
using EnergyTrade.Testing;

namespace EnergyTrade.Cli.Tests;

/// <summary>The seed file must make the article's figures exactly, and match the cargoes the service tests use.</summary>
[Trait("Category", "Unit")]
public sealed class SeedFileTests
{
    private static readonly string SeedFile = Path.Combine(AppContext.BaseDirectory, "seed", "azerbaijan-belarus-2020.csv");

    private static decimal Barrels(ShipmentDraft d) => d.Unit == QuantityUnit.Barrels ? d.Quantity : d.Quantity * d.BarrelsPerTonne!.Value;

    [Fact]
    public void Jan_to_Apr_2020_cargoes_make_3_83_million_barrels_split_2_05_and_1_78()
    {
        var result = CsvShipmentReader.Read(SeedFile);

        Assert.Null(result.FileError);
        Assert.Empty(result.Errors);
        var janToApr = result.Rows.Select(r => r.Draft).Where(d => d.LoadDate >= new DateOnly(2020, 1, 1) && d.LoadDate <= new DateOnly(2020, 4, 30)).ToList();
        Assert.Equal(3_830_000m, janToApr.Sum(Barrels));
        Assert.Equal(2_050_000m, janToApr.Where(d => d.OriginCountry == "AZ").Sum(Barrels));
        Assert.Equal(1_780_000m, janToApr.Where(d => d.OriginCountry != "AZ").Sum(Barrels));
        Assert.All(janToApr, d => Assert.Equal(("SOCAR", "AZ", "BY"), (d.Shipper, d.ExporterCountry, d.ImporterCountry)));
    }

    [Fact]
    public void The_cargoes_are_those_of_the_service_tests_seed()
    {
        var file = CsvShipmentReader.Read(SeedFile).Rows.Select(r => r.Draft.ToRequest().Shipment).Take(5).ToList();
        var tests = SeedShipments.AzerbaijanToBelarus2020();

        Assert.Equal(tests.Count, file.Count);
        foreach (var (expected, actual) in tests.Zip(file))
        {
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Request_ids_are_stable_and_descriptive()
    {
        var ids = CsvShipmentReader.Read(SeedFile).Rows.Select(r => r.Draft.RequestId).ToList();

        Assert.Contains("seed-2020-01-supsa-azeri", ids);
        Assert.All(ids, id => Assert.StartsWith("seed-2020-", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
