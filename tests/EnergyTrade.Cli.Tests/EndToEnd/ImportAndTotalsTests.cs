using System.Text.Json;

namespace EnergyTrade.Cli.Tests.EndToEnd;

/// <summary>The seed file through the real services: imported twice, counted once, totals as in the article.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ImportAndTotalsTests(ServicesFixture services) : IClassFixture<ServicesFixture>
{
    private static readonly string SeedFile = Path.Combine(AppContext.BaseDirectory, "seed", "azerbaijan-belarus-2020.csv");

    private static JsonElement Json(Support.CliRun run) => JsonDocument.Parse(run.Json.ToString()).RootElement;

    private static decimal Dec(JsonElement decimalMessage) =>
        decimal.Parse(decimalMessage.GetProperty("value").GetString()!, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Importing_the_seed_twice_records_it_once_and_trade_shows_the_articles_figures()
    {
        var first = services.Cli();
        Assert.Equal(0, await first.RunAsync("shipments", "import", SeedFile, "--output", "json"));
        Assert.Equal((5, 0, 0), (Json(first).GetProperty("created").GetInt32(), Json(first).GetProperty("alreadyPresent").GetInt32(), Json(first).GetProperty("rejected").GetInt32()));

        var second = services.Cli();
        Assert.Equal(0, await second.RunAsync("shipments", "import", SeedFile, "--output", "json"));
        Assert.Equal((0, 5, 0), (Json(second).GetProperty("created").GetInt32(), Json(second).GetProperty("alreadyPresent").GetInt32(), Json(second).GetProperty("rejected").GetInt32()));

        var totals = services.Cli();
        Assert.Equal(0, await totals.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--wait", "60", "--output", "json"));
        var exports = Json(totals).GetProperty("exports");
        Assert.Equal("5", exports.GetProperty("shipmentCount").GetString());
        Assert.Equal(3_830_000m, Dec(exports.GetProperty("barrels")));
        var byOrigin = exports.GetProperty("byOrigin").EnumerateArray().ToDictionary(o => o.GetProperty("originCountry").GetString()!, o => Dec(o.GetProperty("barrels")));
        Assert.Equal(2_050_000m, byOrigin["AZ"]);
        Assert.Equal(1_780_000m, byOrigin.Where(o => o.Key != "AZ").Sum(o => o.Value));

        var table = services.Cli();
        Assert.Equal(0, await table.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04"));
        Assert.Contains("3,830,000 bbl", table.Out.ToString());
        Assert.Contains("2,050,000 bbl produced in AZ, 1,780,000 bbl produced elsewhere", table.Out.ToString());

        // The analytics commands see the same cargoes: by month, by partner, and against a year with none.
        var series = services.Cli();
        Assert.Equal(0, await series.RunAsync("trade", "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-06", "--output", "json"));
        var months = Json(series).GetProperty("months").EnumerateArray().Select(m => Dec(m.GetProperty("exports").GetProperty("barrels"))).ToList();
        Assert.Equal([700_000m, 1_200_000m, 1_255_000m, 675_000m, 0m, 0m], months);

        var partners = services.Cli();
        Assert.Equal(0, await partners.RunAsync("trade", "partners", "AZ", "--from", "2020-01", "--to", "2020-04", "--order-by", "barrels", "--output", "json"));
        var top = Json(partners).GetProperty("partners")[0];
        Assert.Equal(("BY", 1, 3_830_000m), (top.GetProperty("partner").GetString(), top.GetProperty("rank").GetInt32(), Dec(top.GetProperty("turnoverBarrels"))));

        var compare = services.Cli();
        Assert.Equal(0, await compare.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--compare"));
        Assert.Matches(@"Exports AZ → BY, barrels\s+│\s+0 bbl │\s+3,830,000 bbl │\s+\+3,830,000 bbl │\s+n/a │", compare.Out.ToString());
    }

    [Fact]
    public async Task The_services_field_violations_are_reported_per_row_with_the_csv_column()
    {
        var file = Path.Combine(Path.GetTempPath(), $"energytrade-e2e-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file,
        [
            "request_id,shipper,exporter_country,importer_country,origin_country,grade,quantity,unit,load_date",
            $"e2e-{Guid.NewGuid():N},SOCAR,XX,BY,AZ,Azeri Light,-5,t,2020-05-10",
        ]);
        try
        {
            var run = services.Cli();
            Assert.Equal(1, await run.RunAsync("shipments", "import", file, "--output", "json"));
            Assert.Equal(1, Json(run).GetProperty("rejected").GetInt32());
            var row = Json(run).GetProperty("rejections")[0];
            Assert.Equal(2, row.GetProperty("line").GetInt32());
            var fields = row.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("field").GetString()).ToList();
            Assert.Contains("exporter_country", fields);
            Assert.Contains("quantity", fields);
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + ".errors.csv");
        }
    }

    [Fact]
    public async Task Without_a_token_the_error_says_how_to_get_one()
    {
        var run = services.Cli(withKey: false);

        Assert.Equal(4, await run.RunAsync("trade", "totals", "AZ", "BY"));

        Assert.Contains("no valid token", run.Error.ToString());
        Assert.Contains("energytrade login", run.Error.ToString());
    }
}
