using CsvHelper;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Tests;

/// <summary>--output csv: trade totals (grouped, compared, as of an instant) and trade series as CSV on standard output, and every other command refusing it.</summary>
[Trait("Category", "Unit")]
public sealed class CsvOutputTests
{
    private const string FlowFigures = "shipment_count,barrels,tonnes,value_usd,valued_shipment_count,valued_barrels,barrels_per_day,kb_per_day,average_price_usd_per_barrel";

    /// <summary>The seed's totals with a valued cargo, so every figure of a flow has something to show.</summary>
    private static BilateralTotals ValuedTotals()
    {
        var totals = Replies.SeedTotals();
        totals.Exports.Value = ProtoValues.Money(25_000_000.25m);
        totals.Exports.ValuedShipmentCount = 1;
        totals.Exports.ValuedBarrels = ProtoValues.Decimal(700_000.000m);
        totals.Exports.AveragePricePerBarrel = ProtoValues.Money(35.71m);
        totals.Imports.Value = ProtoValues.Money(77_600_000.35m);
        totals.Turnover = ProtoValues.Money(102_600_000.60m);
        totals.Balance = ProtoValues.Money(-52_600_000.10m);
        return totals;
    }

    /// <summary>The header and the rows as CsvHelper reads them back.</summary>
    private static (IReadOnlyList<string> Header, List<string[]> Rows) Read(string csv)
    {
        using var reader = CsvReader.Create(new StringReader(csv), new CsvReaderOptions { HasHeader = true });
        reader.ReadHeader();
        var header = reader.Headers.ToList();
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i) ?? "")]);
        return (header, rows);
    }

    private static string Field(IReadOnlyList<string> header, string[] row, string column) => row[header.ToList().IndexOf(column)];

    [Fact]
    public async Task Totals_as_csv_have_one_header_and_a_row_per_line_with_exact_decimals()
    {
        var run = new CliRun();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ => ValuedTotals());

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--output", "csv"));

        // Nothing for people on standard output: no title, no colour, no table around the rows.
        Assert.Equal("", run.Out.ToString());
        Assert.Equal(
            $"""
            flow,breakdown,origin_country,{FlowFigures}
            exports,total,,5,3830000.000,519208.732,25000000.25,1,700000.000,31652.893,31.652893,35.71
            imports,total,,0,0,0,77600000.35,0,,,,
            exports,origin,AZ,3,2050000.000,275497.954,0,,,,,
            exports,origin,KZ,1,1200000.000,163710.778,0,,,,,
            exports,origin,RU,1,580000.000,80000.000,0,,,,,
            turnover,total,,,,,102600000.6,,,,,
            balance,total,,,,,-52600000.1,,,,,

            """.ReplaceLineEndings("\n"), run.Json.ToString());
    }

    [Fact]
    public async Task Totals_as_csv_read_back_through_csvhelper_with_the_services_decimal_strings()
    {
        var run = new CliRun();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ => ValuedTotals());

        await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "-o", "csv");

        var (header, rows) = Read(run.Json.ToString());
        Assert.Equal(["flow", "breakdown", "origin_country", .. FlowFigures.Split(',')], header);
        var exports = rows[0];
        // As the service wrote them: the three decimals kept, no exponent (3.83E+06), no separators (3,830,000).
        Assert.Equal("3830000.000", Field(header, exports, "barrels"));
        Assert.Equal("519208.732", Field(header, exports, "tonnes"));
        Assert.Equal("31652.893", Field(header, exports, "barrels_per_day"));
        Assert.Equal(3_830_000.000m, decimal.Parse(Field(header, exports, "barrels"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("-52600000.1", Field(header, rows[^1], "value_usd"));
        Assert.All(rows, row => Assert.Equal(header.Count, row.Length));
        Assert.DoesNotContain(rows.SelectMany(r => r), field => field.Contains('E') || field.Contains(' '));
    }

    [Fact]
    public async Task A_grouped_answer_as_csv_has_a_column_per_dimension_and_a_row_per_group()
    {
        var run = new CliRun();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ =>
        {
            var totals = Replies.SeedTotals();
            totals.Exports.Groups.Add(new FlowGroup { Keys = { "Azeri Light", "AZ" }, Totals = Replies.Flow(3, 2_050_000.000m, 275_497.954m) });
            totals.Exports.Groups.Add(new FlowGroup { Keys = { "CPC Blend, sweet", "KZ" }, Totals = Replies.Flow(1, 1_200_000.000m, 163_710.778m) });
            totals.Exports.Groups.Add(new FlowGroup { Keys = { "Urals", "" }, Totals = Replies.Flow(1, 580_000.000m, 80_000.000m) });
            return totals;
        });

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--group-by", "grade,origin", "--output", "csv"));

        Assert.Equal([Dimension.Grade, Dimension.Origin], ((GetBilateralTotalsRequest)Assert.Single(run.Server.Calls).Request).GroupBy);
        var (header, rows) = Read(run.Json.ToString());
        // Grouping by origin fills the origin split's own column, so one column holds each origin.
        Assert.Equal(["flow", "breakdown", "origin_country", "grade", .. FlowFigures.Split(',')], header);
        var groups = rows.Where(r => r[1] == "group").ToList();
        Assert.Equal(new[] { new[] { "exports", "group", "AZ", "Azeri Light" }, ["exports", "group", "KZ", "CPC Blend, sweet"], ["exports", "group", "", "Urals"] },
            groups.Select(r => r[..4]));
        Assert.Equal(["3", "2050000.000", "275497.954"], groups[0][4..7]);
        Assert.Contains("exports,group,KZ,\"CPC Blend, sweet\",1,1200000.000,", run.Json.ToString());
        // The flows and the origin split are still there, told apart by breakdown.
        Assert.Equal(["total", "total", "group", "group", "group", "origin", "origin", "origin", "total", "total"], rows.Select(r => r[1]));
    }

    [Fact]
    public async Task Totals_as_of_an_instant_as_csv_send_the_instant_and_write_the_answer()
    {
        var run = new CliRun();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ => Replies.SeedTotals());

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--as-of", "2020-05-10T12:00:00Z", "--output", "csv"));

        var request = (GetBilateralTotalsRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(new DateTimeOffset(2020, 5, 10, 12, 0, 0, TimeSpan.Zero), request.AsOf.ToDateTimeOffset());
        var (_, rows) = Read(run.Json.ToString());
        Assert.Equal(["exports", "total", "", "5", "3830000.000"], rows[0][..5]);
    }

    [Fact]
    public async Task Series_as_csv_have_a_row_per_month_with_every_figure_of_each_flow()
    {
        var run = new CliRun();
        run.Server.On<GetTradeSeriesRequest, TradeSeries>(Replies.Series, request =>
        {
            var series = Replies.SeedSeries(request);
            series.Months[2].Exports.BarrelsPerDay = ProtoValues.Decimal(40_483.871m);
            series.Months[2].Turnover = ProtoValues.Money(30_120_000.50m);
            series.Months[2].Balance = ProtoValues.Money(-1_000.05m);
            return series;
        });

        Assert.Equal(0, await run.RunAsync("trade", "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-12", "--output", "csv"));

        Assert.Equal("", run.Out.ToString());
        var lines = run.Json.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var prefixed = (string flow) => string.Join(',', FlowFigures.Split(',').Select(c => $"{flow}_{c}"));
        Assert.Equal($"month,last_month,{prefixed("exports")},{prefixed("imports")},turnover_usd,balance_usd", lines[0]);
        Assert.Equal(13, lines.Length);
        Assert.Equal("2020-03,2020-03,2,1255000.000,170000.000,0,0,,40483.871,40.483871,,0,0,0,0,0,,,,,30120000.5,-1000.05", lines[3]);
        var (header, rows) = Read(run.Json.ToString());
        Assert.Equal(Enumerable.Range(1, 12).Select(m => $"2020-{m:00}"), rows.Select(r => Field(header, r, "month")));
        Assert.Equal("0", Field(header, rows[11], "exports_barrels"));
    }

    [Fact]
    public async Task A_grouped_series_as_csv_has_a_row_per_quarter_flow_and_group()
    {
        var run = new CliRun();
        run.Server.On<GetTradeSeriesRequest, TradeSeries>(Replies.Series, request =>
        {
            var series = new TradeSeries { Country = "AZ", Partner = "BY", Granularity = request.Granularity };
            foreach (var (first, last, shipper, barrels) in new[] { (1, 3, "SOCAR", 3_155_000.000m), (4, 4, "SOCAR", 675_000.000m) })
            {
                var exports = Replies.Flow(1, barrels, 0m);
                exports.Groups.Add(new FlowGroup { Keys = { shipper }, Totals = Replies.Flow(1, barrels, 0m) });
                series.Months.Add(new MonthlyTotals
                {
                    Month = new Google.Type.Date { Year = 2020, Month = first },
                    LastMonth = new Google.Type.Date { Year = 2020, Month = last },
                    Exports = exports,
                    Imports = Replies.Flow(0, 0m, 0m),
                });
            }
            return series;
        });

        Assert.Equal(0, await run.RunAsync("trade", "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--granularity", "quarter",
            "--group-by", "shipper", "--output", "csv"));

        Assert.Equal(
            $"""
            month,last_month,flow,shipper,{FlowFigures}
            2020-01,2020-03,exports,SOCAR,1,3155000.000,0,0,0,,,,
            2020-04,2020-04,exports,SOCAR,1,675000.000,0,0,0,,,,

            """.ReplaceLineEndings("\n"), run.Json.ToString());
    }

    [Fact]
    public async Task A_comparison_as_csv_has_a_row_per_measure_with_the_change_and_no_percent_from_zero()
    {
        var run = new CliRun();
        run.Server.On<CompareBilateralTotalsRequest, BilateralComparison>(Replies.Compare, _ => Replies.SeedComparison());

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--compare", "--output", "csv"));

        Assert.Equal(
            """
            measure,previous,current,change,change_percent
            exports_value_usd,150000000.00,0.00,-150000000.00,-100.00
            imports_value_usd,0,0,0,
            turnover_value_usd,150000000.00,0.00,-150000000.00,-100.00
            exports_barrels,3000000.000,3830000.000,830000.000,27.67
            imports_barrels,0,0,0,
            turnover_barrels,3000000.000,3830000.000,830000.000,27.67
            exports_shipment_count,4,5,1,25
            imports_shipment_count,0,0,0,

            """.ReplaceLineEndings("\n"), run.Json.ToString());
    }

    [Theory]
    [InlineData("shipments list")]
    [InlineData("shipments get shipments/0b4f6c9e-5d2a-4c1e-9f3b-7a8d2e1c6b5a")]
    [InlineData("shipments history shipments/0b4f6c9e-5d2a-4c1e-9f3b-7a8d2e1c6b5a")]
    [InlineData("grades list")]
    [InlineData("trade partners AZ")]
    [InlineData("trade watch AZ BY")]
    [InlineData("trade refused")]
    [InlineData("trade revisions AZ BY --from 2020-01 --to 2020-04 --since 2020-05-01")]
    [InlineData("reconcile AZ BY")]
    public async Task A_command_without_a_csv_form_refuses_csv_naming_those_that_have_one(string command)
    {
        var run = new CliRun();

        Assert.Equal(2, await run.RunAsync([.. command.Split(' '), "--output", "csv"]));

        Assert.Contains("--output csv is only for trade totals and trade series; use table or json here", run.Error.ToString());
        Assert.Empty(run.Server.Calls);
        Assert.Equal("", run.Json.ToString());
    }

    [Theory]
    [InlineData("xlsx")]
    [InlineData("2")]
    public async Task An_unknown_output_format_lists_table_json_and_csv(string format)
    {
        var run = new CliRun();

        Assert.Equal(2, await run.RunAsync("trade", "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-12", "--output", format));

        Assert.Contains($"--output '{format}' is not a format; use table, json or csv.", run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }
}
