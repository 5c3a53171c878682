using System.Text.Json;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Trade.V1;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Cli.Tests;

/// <summary>trade totals --compare, trade series and trade partners: requests from the options, tables and JSON from the answers.</summary>
[Trait("Category", "Unit")]
public sealed class TradeAnalyticsTests
{
    private static BilateralComparison Comparison() => Replies.SeedComparison();

    [Fact]
    public async Task Compare_sends_both_months_and_the_basis()
    {
        var run = new CliRun();
        run.Server.On<CompareBilateralTotalsRequest, BilateralComparison>(Replies.Compare, _ => Comparison());

        Assert.Equal(0, await run.RunAsync("trade", "totals", "az", "by", "--from", "2020-01", "--to", "2020-04", "--basis", "origin", "--compare"));

        var request = (CompareBilateralTotalsRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(("AZ", "BY", Basis.Origin), (request.Country, request.Partner, request.Basis));
        Assert.Equal((2020, 1, 0), (request.FirstMonth.Year, request.FirstMonth.Month, request.FirstMonth.Day));
        Assert.Equal((2020, 4, 0), (request.LastMonth.Year, request.LastMonth.Month, request.LastMonth.Day));
    }

    [Fact]
    public async Task Year_to_date_sends_only_the_last_month_and_the_flag()
    {
        var run = new CliRun();
        run.Server.On<CompareBilateralTotalsRequest, BilateralComparison>(Replies.Compare, _ => Comparison());

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY", "--to", "2020-04", "--compare", "--year-to-date"));

        var request = (CompareBilateralTotalsRequest)Assert.Single(run.Server.Calls).Request;
        Assert.True(request.YearToDate);
        Assert.Null(request.FirstMonth);
        Assert.Equal((2020, 4, 0), (request.LastMonth.Year, request.LastMonth.Month, request.LastMonth.Day));
    }

    [Theory]
    [InlineData(new[] { "--to", "2020-04", "--year-to-date" }, "--year-to-date needs --compare")]
    [InlineData(new[] { "--from", "2020-02", "--to", "2020-04", "--compare", "--year-to-date" }, "leave out --from")]
    [InlineData(new[] { "--compare", "--year-to-date" }, "--to is required with --year-to-date")]
    public async Task Year_to_date_options_are_checked_before_anything_is_sent(string[] options, string message)
    {
        var run = new CliRun();
        Assert.Equal(2, await run.RunAsync(["trade", "totals", "AZ", "BY", .. options]));
        Assert.Contains(message, run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public void Compare_table_shows_both_ranges_the_change_and_the_percent()
    {
        var text = CliRun.Render(ComparisonView.Render(Comparison()));

        Assert.Contains("AZ–BY trade, 2020-01 to 2020-04 against 2019-01 to 2019-04, commercial basis", text);
        Assert.Matches(@"Measure\s+│\s+2019-01 to 2019-04 │\s+2020-01 to 2020-04 │\s+Change │\s+Change % │", text);
        Assert.Matches(@"Exports AZ → BY, value\s+│\s+150,000,000.00 USD │\s+0.00 USD │ -150,000,000.00 USD │ -100.00 % │", text);
        Assert.Matches(@"Exports AZ → BY, barrels\s+│\s+3,000,000 bbl │\s+3,830,000 bbl │\s+\+830,000 bbl │\s+\+27.67 % │", text);
        Assert.Matches(@"Imports BY → AZ, barrels\s+│\s+0 bbl │\s+0 bbl │\s+0 bbl │\s+n/a │", text);
        Assert.Contains("n/a: there is no percent change from zero.", text);
        Assert.Contains("Shipments: 4 in 2019-01 to 2019-04, 5 in 2020-01 to 2020-04.", text);
    }

    [Fact]
    public async Task Compare_json_is_the_comparison_message()
    {
        var run = new CliRun();
        run.Server.On<CompareBilateralTotalsRequest, BilateralComparison>(Replies.Compare, _ => Comparison());

        await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--compare", "-o", "json");

        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.Equal("27.67", json.GetProperty("exportsBarrels").GetProperty("percent").GetProperty("value").GetString());
        Assert.Equal(2019, json.GetProperty("previous").GetProperty("firstMonth").GetProperty("year").GetInt32());
        // Unset when the earlier figure is zero: the JSON says so by leaving it out.
        Assert.False(json.GetProperty("importsValue").TryGetProperty("percent", out var percent) && percent.ValueKind != JsonValueKind.Null);
    }

    [Theory]
    [InlineData(new[] { "--compare" }, "--from is required with --compare")]
    [InlineData(new[] { "--compare", "--from", "2020-01" }, "--to is required with --compare")]
    [InlineData(new[] { "--compare", "--from", "2020-01", "--to", "2020-04", "--wait", "5" }, "--wait cannot be combined with --compare")]
    public async Task Compare_needs_both_months_and_no_wait(string[] options, string message)
    {
        var run = new CliRun();

        Assert.Equal(2, await run.RunAsync(["trade", "totals", "AZ", "BY", .. options]));

        Assert.Contains(message, run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task Series_sends_the_range_and_prints_every_month_and_the_totals()
    {
        var run = new CliRun();
        run.Server.On<GetTradeSeriesRequest, TradeSeries>(Replies.Series, Replies.SeedSeries);

        Assert.Equal(0, await run.RunAsync("trade", "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-06"));

        var request = (GetTradeSeriesRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(((2020, 1, 0), (2020, 6, 0), Basis.Commercial),
            ((request.FirstMonth.Year, request.FirstMonth.Month, request.FirstMonth.Day), (request.LastMonth.Year, request.LastMonth.Month, request.LastMonth.Day), request.Basis));
        var text = run.Out.ToString();
        Assert.Contains("AZ–BY trade by month, 2020-01 to 2020-06, commercial basis", text);
        Assert.Matches(@"Month\s+│\s+Exports barrels │\s+Exports value │\s+Imports barrels │\s+Imports value │\s+Turnover │\s+Balance │", text);
        Assert.Matches(@"2020-03\s+│\s+1,255,000 bbl │\s+0.00 USD │\s+0 bbl │\s+0.00 USD │\s+0.00 USD │\s+0.00 USD │", text);
        Assert.Matches(@"2020-06\s+│\s+0 bbl │", text);
        Assert.Matches(@"Total\s+│\s+3,830,000 bbl │", text);
    }

    [Fact]
    public async Task Series_by_quarter_asks_for_quarters_and_labels_full_and_clipped_ones()
    {
        var run = new CliRun();
        run.Server.On<GetTradeSeriesRequest, TradeSeries>(Replies.Series, request =>
        {
            var series = new TradeSeries { Country = "AZ", Partner = "BY", Basis = Basis.Commercial, Granularity = request.Granularity };
            foreach (var (first, last, barrels) in new[] { (1, 3, 2_050_000m), (4, 4, 1_780_000m) })
            {
                series.Months.Add(new MonthlyTotals
                {
                    Month = new Google.Type.Date { Year = 2020, Month = first },
                    LastMonth = new Google.Type.Date { Year = 2020, Month = last },
                    Exports = Replies.Flow(1, barrels, 0m),
                    Imports = Replies.Flow(0, 0m, 0m),
                    Turnover = ProtoValues.Money(0m),
                    Balance = ProtoValues.Money(0m),
                });
            }
            return series;
        });

        Assert.Equal(0, await run.RunAsync("trade", "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--granularity", "quarter"));

        Assert.Equal(Granularity.Quarter, ((GetTradeSeriesRequest)Assert.Single(run.Server.Calls).Request).Granularity);
        var text = run.Out.ToString();
        Assert.Contains("AZ–BY trade by quarter, 2020-01 to 2020-04", text);
        Assert.Matches(@"Quarter\s+│\s+Exports barrels", text);
        Assert.Matches(@"2020 Q1\s+│\s+2,050,000 bbl │", text);
        Assert.Matches(@"2020-04\s+│\s+1,780,000 bbl │", text);
        Assert.Matches(@"Total\s+│\s+3,830,000 bbl │", text);
    }

    [Fact]
    public void Series_totals_add_up_exactly_with_signs()
    {
        var series = new TradeSeries { Country = "BY", Partner = "RU" };
        series.Months.Add(new MonthlyTotals
        {
            Month = new Google.Type.Date { Year = 2020, Month = 3 },
            Exports = Replies.Flow(1, 0.001m, 0m, 0.10m, 1),
            Imports = Replies.Flow(1, 580_000m, 80_000m, 26_300_000.20m, 1),
            Turnover = ProtoValues.Money(26_300_000.30m),
            Balance = ProtoValues.Money(-26_300_000.10m),
        });
        series.Months.Add(new MonthlyTotals
        {
            Month = new Google.Type.Date { Year = 2020, Month = 4 },
            Exports = Replies.Flow(1, 0.002m, 0m, 0.20m, 1),
            Imports = Replies.Flow(0, 0m, 0m),
            Turnover = ProtoValues.Money(0.20m),
            Balance = ProtoValues.Money(0.20m),
        });

        var text = CliRun.Render(SeriesView.Render(series));

        Assert.Matches(@"Total\s+│\s+0.003 bbl │\s+0.30 USD │\s+580,000 bbl │\s+26,300,000.20 USD │\s+26,300,000.50 USD │\s+-26,299,999.90 USD │", text);
    }

    [Theory]
    [InlineData(new[] { "--to", "2020-12" }, "--from is required for a series")]
    [InlineData(new[] { "--from", "2020-01" }, "--to is required for a series")]
    [InlineData(new[] { "--from", "1970-01", "--to", "2020-12" }, "spans 612 months; a series holds at most 600")]
    [InlineData(new[] { "--from", "2020-12", "--to", "2020-01" }, "--from 2020-12 is after --to 2020-01")]
    [InlineData(new[] { "--from", "2020-01", "--to", "2020-12", "--basis", "customs" }, "--basis 'customs' is not a basis")]
    [InlineData(new[] { "--from", "2020-01", "--to", "2020-12", "--granularity", "week" }, "--granularity 'week' is not one of month, quarter or year")]
    public async Task Series_options_are_checked_before_anything_is_sent(string[] options, string message)
    {
        var run = new CliRun();

        Assert.Equal(2, await run.RunAsync(["trade", "series", "AZ", "BY", .. options]));

        Assert.Contains(message, run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task Series_json_is_the_series_message()
    {
        var run = new CliRun();
        run.Server.On<GetTradeSeriesRequest, TradeSeries>(Replies.Series, Replies.SeedSeries);

        await run.RunAsync("trade", "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-12", "--output", "json");

        var months = JsonDocument.Parse(run.Json.ToString()).RootElement.GetProperty("months");
        Assert.Equal(12, months.GetArrayLength());
        Assert.Equal("1255000.000", months[2].GetProperty("exports").GetProperty("barrels").GetProperty("value").GetString());
    }

    private static PartnerTotals Partner(string code, int rank, decimal exportUsd, decimal importUsd, decimal barrels, long shipments = 1, long valued = 1) => new()
    {
        Partner = code,
        Rank = rank,
        Exports = Replies.Flow(shipments, barrels, 0m, exportUsd, valued),
        Imports = Replies.Flow(0, 0m, 0m, importUsd),
        Turnover = ProtoValues.Money(exportUsd + importUsd),
        Balance = ProtoValues.Money(exportUsd - importUsd),
        TurnoverBarrels = ProtoValues.Decimal(barrels),
    };

    [Fact]
    public async Task Partners_sends_the_options_and_fetches_every_page_with_all()
    {
        var run = new CliRun();
        run.Server.On<ListPartnersRequest, ListPartnersResponse>(Replies.Partners, r => r.PageToken switch
        {
            "" => new ListPartnersResponse { Partners = { Partner("BY", 1, 0m, 0m, 3_830_000m, 5, 0) }, NextPageToken = "p2" },
            "p2" => new ListPartnersResponse { Partners = { Partner("IT", 2, 0m, 0m, 1_000_000m, 1, 0) } },
            _ => throw new InvalidOperationException(),
        });

        Assert.Equal(0, await run.RunAsync("trade", "partners", "az", "--from", "2020-01", "--to", "2020-04", "--basis", "origin", "--order-by", "barrels",
            "--page-size", "1", "--all"));

        var requests = run.Server.Calls.Select(c => (ListPartnersRequest)c.Request).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(("AZ", Basis.Origin, ListPartnersRequest.Types.OrderBy.Barrels, 1), (requests[0].Country, requests[0].Basis, requests[0].OrderBy, requests[0].PageSize));
        Assert.Equal((2020, 1, 0), (requests[0].FirstMonth.Year, requests[0].FirstMonth.Month, requests[0].FirstMonth.Day));
        Assert.Equal("p2", requests[1].PageToken);
        var text = run.Out.ToString();
        Assert.Contains("AZ's trade partners by barrels, 2020-01 to 2020-04, origin basis", text);
        Assert.Matches(@"1 │ BY\s+│\s+0.00 USD │\s+0.00 USD │\s+0.00 USD │\s+0.00 USD │\s+3,830,000 bbl │", text);
        Assert.Matches(@"2 │ IT\s+│", text);
        Assert.Contains("Values cover only the shipments recorded with one: 6 of 6 have none.", text);
        Assert.Contains("2 partners.", text);
    }

    [Fact]
    public async Task Partners_table_has_values_each_way_with_signed_balance_and_a_next_page_hint()
    {
        var run = new CliRun();
        run.Server.On<ListPartnersRequest, ListPartnersResponse>(Replies.Partners, _ => new ListPartnersResponse
        {
            Partners = { Partner("IT", 1, 1_250_000_000.50m, 200_000m, 18_000_000m), Partner("BY", 2, 0m, 52_600_000m, 0m) },
            NextPageToken = "more",
        });

        await run.RunAsync("trade", "partners", "AZ");

        var request = (ListPartnersRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal((ListPartnersRequest.Types.OrderBy.TurnoverValue, Basis.Commercial, 0, null), (request.OrderBy, request.Basis, request.PageSize, request.FirstMonth));
        var text = run.Out.ToString();
        Assert.Contains("AZ's trade partners by turnover value, all months, commercial basis", text);
        Assert.Matches(@"Rank │ Partner │\s+Exports from AZ │\s+Imports to AZ │\s+Turnover │\s+Balance │ Barrels \(both ways\) │", text);
        Assert.Matches(@"1 │ IT\s+│ 1,250,000,000.50 USD │\s+200,000.00 USD │ 1,250,200,000.50 USD │ 1,249,800,000.50 USD │\s+18,000,000 bbl │", text);
        Assert.Matches(@"2 │ BY\s+│\s+0.00 USD │\s+52,600,000.00 USD │\s+52,600,000.00 USD │\s+-52,600,000.00 USD │\s+0 bbl │", text);
        Assert.Contains("More on the next page: add --page-token more (or --all).", text);
    }

    [Fact]
    public async Task Partners_json_merges_the_pages()
    {
        var run = new CliRun();
        run.Server.On<ListPartnersRequest, ListPartnersResponse>(Replies.Partners, r => r.PageToken == ""
            ? new ListPartnersResponse { Partners = { Partner("BY", 1, 0m, 0m, 1m) }, NextPageToken = "p2" }
            : new ListPartnersResponse { Partners = { Partner("IT", 2, 0m, 0m, 1m) } });

        await run.RunAsync("trade", "partners", "AZ", "--all", "-o", "json");

        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.Equal(["BY", "IT"], json.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("partner").GetString()));
        Assert.Equal("", json.GetProperty("nextPageToken").GetString());
    }

    [Fact]
    public async Task Partners_without_trade_says_so()
    {
        var run = new CliRun();
        run.Server.On<ListPartnersRequest, ListPartnersResponse>(Replies.Partners, _ => new ListPartnersResponse());

        await run.RunAsync("trade", "partners", "NO", "--from", "2020-01");

        Assert.Contains("NO has no trade partners (from 2020-01).", run.Out.ToString());
    }

    [Theory]
    [InlineData("--order-by", "value", "--order-by 'value' is not an order; use turnover or barrels.")]
    [InlineData("--page-size", "0", "--page-size 0 is out of range")]
    [InlineData("--from", "2020", "--from '2020' is not a month")]
    public async Task Partners_options_are_checked(string option, string value, string message)
    {
        var run = new CliRun();

        Assert.Equal(2, await run.RunAsync("trade", "partners", "AZ", option, value));

        Assert.Contains(message, run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }
}
