using System.Text.Json;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;

namespace EnergyTrade.Cli.Tests;

/// <summary>--as-of on trade totals, --compare, series and partners: the instant each sends, and what is refused.</summary>
[Trait("Category", "Unit")]
public sealed class AsOfTests
{
    private static readonly DateTimeOffset EndOfTenthOfMay = new DateTimeOffset(2020, 5, 11, 0, 0, 0, TimeSpan.Zero) - TimeSpan.FromTicks(10);

    private static CliRun Trade()
    {
        var run = new CliRun();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ => Replies.SeedTotals());
        run.Server.On<CompareBilateralTotalsRequest, BilateralComparison>(Replies.Compare, _ => new BilateralComparison
        {
            Current = Replies.SeedTotals(), Previous = Replies.SeedTotals(),
        });
        run.Server.On<GetTradeSeriesRequest, TradeSeries>(Replies.Series, Replies.SeedSeries);
        run.Server.On<ListPartnersRequest, ListPartnersResponse>(Replies.Partners, _ => new ListPartnersResponse());
        return run;
    }

    [Fact]
    public async Task Totals_as_of_a_date_asks_for_the_last_microsecond_of_that_day_utc()
    {
        var run = Trade();

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--as-of", "2020-05-10"));

        var request = (GetBilateralTotalsRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(Timestamp.FromDateTimeOffset(EndOfTenthOfMay), request.AsOf);
        Assert.Equal(999_999_000, request.AsOf.Nanos);
    }

    [Fact]
    public async Task Totals_as_of_a_timestamp_with_an_offset_asks_for_that_instant()
    {
        var run = Trade();

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY", "--as-of", "2020-05-10T14:00+02:00"));

        var request = (GetBilateralTotalsRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2020, 5, 10, 12, 0, 0, TimeSpan.Zero)), request.AsOf);
    }

    [Fact]
    public async Task Without_as_of_the_request_asks_for_todays_figures()
    {
        var run = Trade();

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));

        Assert.Null(((GetBilateralTotalsRequest)Assert.Single(run.Server.Calls).Request).AsOf);
    }

    [Fact]
    public async Task A_comparison_series_and_partners_send_the_same_instant()
    {
        var run = Trade();
        var asOf = Timestamp.FromDateTimeOffset(new DateTimeOffset(2020, 5, 10, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--compare", "--as-of", "2020-05-10T12:00:00Z"));
        Assert.Equal(0, await run.RunAsync("trade", "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--as-of", "2020-05-10T12:00:00Z"));
        Assert.Equal(0, await run.RunAsync("trade", "partners", "AZ", "--as-of", "2020-05-10"));

        Assert.Equal(asOf, ((CompareBilateralTotalsRequest)run.Server.CallsTo(Replies.Compare).Single().Request).AsOf);
        Assert.Equal(asOf, ((GetTradeSeriesRequest)run.Server.CallsTo(Replies.Series).Single().Request).AsOf);
        Assert.Equal(Timestamp.FromDateTimeOffset(EndOfTenthOfMay), ((ListPartnersRequest)run.Server.CallsTo(Replies.Partners).Single().Request).AsOf);
    }

    [Theory]
    [InlineData(new[] { "totals", "AZ", "BY", "--as-of", "last week" },
        "--as-of 'last week' is not an instant; give a date YYYY-MM-DD (the end of that day, UTC) or a timestamp with Z or an offset, e.g. 2020-05-10T12:00:00Z.")]
    [InlineData(new[] { "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--as-of", "2020-05-32" }, "--as-of '2020-05-32' is not an instant")]
    [InlineData(new[] { "partners", "AZ", "--as-of", "10 May" }, "--as-of '10 May' is not an instant")]
    [InlineData(new[] { "totals", "AZ", "BY", "--as-of", "2020-05-10T12:00" },
        "--as-of '2020-05-10T12:00' has no time zone; add Z for UTC or an offset, e.g. 2020-05-10T12:00Z or 2020-05-10T12:00+02:00.")]
    [InlineData(new[] { "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--wait", "30", "--as-of", "2020-05-10" },
        "--wait compares today's figures with Shipments' own sums; leave out --as-of to wait, or --wait to see the figures as of then.")]
    [InlineData(new[] { "watch", "AZ", "BY", "--as-of", "2020-05-10" },
        "--as-of does not apply to trade watch, which follows today's figures as they change; use trade totals --as-of for the figures as of an instant.")]
    public async Task A_wrong_or_misplaced_as_of_is_refused_before_any_call(string[] command, string message)
    {
        var run = Trade();

        Assert.Equal(2, await run.RunAsync(["trade", .. command]));

        Assert.Contains(message, run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task Problems_with_as_of_are_listed_with_the_others()
    {
        var run = Trade();

        Assert.Equal(2, await run.RunAsync("trade", "series", "AZ", "BY", "--from", "2020-13", "--to", "2020-04", "--as-of", "2020-05-10T12:00"));

        var error = run.Error.ToString();
        Assert.Contains("The command line has 2 problems", error);
        Assert.Contains("--from '2020-13' is not a month", error);
        Assert.Contains("has no time zone", error);
    }

    [Fact]
    public void Every_view_says_which_instant_its_figures_are_as_of()
    {
        var asOf = Timestamp.FromDateTimeOffset(EndOfTenthOfMay);
        var totals = Replies.SeedTotals();
        totals.AsOf = asOf;
        var previous = Replies.SeedTotals();
        previous.FirstMonth = new Google.Type.Date { Year = 2019, Month = 1 };
        previous.LastMonth = new Google.Type.Date { Year = 2019, Month = 4 };
        previous.AsOf = asOf;
        var series = Replies.SeedSeries(new GetTradeSeriesRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = totals.FirstMonth, LastMonth = totals.LastMonth,
        });
        series.AsOf = asOf;

        Assert.Contains("AZ–BY trade, 2020-01 to 2020-04, as of 2020-05-10 23:59:59.999999 UTC, commercial basis", CliRun.Render(TotalsView.Render(totals)));
        Assert.Contains("AZ–BY trade by month, 2020-01 to 2020-04, as of 2020-05-10 23:59:59.999999 UTC, commercial basis",
            CliRun.Render(SeriesView.Render(series)));
        Assert.Contains("AZ–BY trade, 2020-01 to 2020-04 against 2019-01 to 2019-04, as of 2020-05-10 23:59:59.999999 UTC, commercial basis",
            CliRun.Render(ComparisonView.Render(new BilateralComparison { Current = totals, Previous = previous })));
        Assert.Contains("AZ's trade partners by turnover value, 2020-01 to 2020-04, as of 2020-05-10 23:59:59.999999 UTC, commercial basis",
            CliRun.Render(PartnersView.Render("AZ", "2020-01 to 2020-04", asOf, EnergyTrade.Types.V1.Basis.Commercial,
                ListPartnersRequest.Types.OrderBy.TurnoverValue, [new PartnerTotals { Partner = "BY", Rank = 1 }])));
    }

    [Fact]
    public void Todays_figures_name_no_instant() =>
        Assert.DoesNotContain("as of", CliRun.Render(TotalsView.Render(Replies.SeedTotals())));

    [Fact]
    public async Task Partners_as_of_an_instant_without_trade_says_when()
    {
        var run = new CliRun();
        run.Server.On<ListPartnersRequest, ListPartnersResponse>(Replies.Partners, r => new ListPartnersResponse { AsOf = r.AsOf });

        await run.RunAsync("trade", "partners", "AZ", "--from", "2020-01", "--to", "2020-04", "--as-of", "2019-12-31");

        Assert.Contains("AZ has no trade partners (2020-01 to 2020-04, as of 2019-12-31 23:59:59.999999 UTC).", run.Out.ToString());
    }

    [Fact]
    public async Task Json_carries_the_as_of_instant_in_rfc_3339()
    {
        var run = new CliRun();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, r =>
        {
            var totals = Replies.SeedTotals();
            totals.AsOf = r.AsOf;
            return totals;
        });

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--as-of", "2020-05-10", "-o", "json"));

        Assert.Equal("2020-05-10T23:59:59.999999Z", JsonDocument.Parse(run.Json.ToString()).RootElement.GetProperty("asOf").GetString());
    }
}
