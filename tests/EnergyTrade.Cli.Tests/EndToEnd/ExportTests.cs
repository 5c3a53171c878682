using EnergyTrade.Cli.Csv;
using EnergyTrade.Shipments.V1;
using Google.Protobuf;

namespace EnergyTrade.Cli.Tests.EndToEnd;

/// <summary>shipments export through the real services: the stream, the file it leaves, and list --all in the same order.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ExportTests(ServicesFixture services) : IClassFixture<ServicesFixture>
{
    private static readonly string SeedFile = Path.Combine(AppContext.BaseDirectory, "seed", "azerbaijan-belarus-2020.csv");

    private static IEnumerable<Shipment> Lines(Support.CliRun run) =>
        run.Json.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonParser.Default.Parse<Shipment>(line));

    [Fact]
    public async Task The_imported_seed_exports_as_csv_holding_its_five_cargoes_and_as_ndjson_in_the_order_list_all_gives()
    {
        Assert.Equal(0, await services.Cli().RunAsync("shipments", "import", SeedFile, "--output", "json"));
        var file = Path.Combine(Path.GetTempPath(), $"energytrade-e2e-export-{Guid.NewGuid():N}.csv");
        try
        {
            var csv = services.Cli();
            Assert.Equal(0, await csv.RunAsync("shipments", "export", "--exporter", "AZ", "--importer", "BY", "--from", "2020-01", "--to", "2020-04", "--file", file));

            var exported = CsvShipmentReader.Read(file);
            Assert.Empty(exported.Errors);
            Assert.All(exported.Rows, r => Assert.StartsWith("shipments/", r.Draft.RequestId, StringComparison.Ordinal));
            static string Cargo(Input.ShipmentDraft d) => $"{d.ExporterCountry}>{d.ImporterCountry} {d.OriginCountry} {d.Grade} {d.Quantity} {d.Unit} {d.LoadDate:yyyy-MM-dd}";
            Assert.Equal(CsvShipmentReader.Read(SeedFile).Rows.Select(r => Cargo(r.Draft)).Order(), exported.Rows.Select(r => Cargo(r.Draft)).Order());
        }
        finally
        {
            File.Delete(file);
        }

        var ndjson = services.Cli();
        Assert.Equal(0, await ndjson.RunAsync("shipments", "export", "--format", "ndjson"));
        var list = services.Cli();
        Assert.Equal(0, await list.RunAsync("shipments", "list", "--all", "--page-size", "2", "--output", "json"));
        Assert.Equal(5, Lines(ndjson).Count());
        Assert.Equal(Lines(list), Lines(ndjson));
    }
}
