using System.Threading.Channels;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using static EnergyTrade.EndToEnd.Tests.Proto;
using OrderBy = EnergyTrade.Trade.V1.ListPartnersRequest.Types.OrderBy;
using EnergyTrade.Types.V1;

namespace EnergyTrade.EndToEnd.Tests;

/// <summary>
/// Series, comparisons, partner rankings, the origin basis and watch streams, from shipments created
/// through the Shipments API. Each test works in years of its own, so it holds on a shared stack.
/// </summary>
[Collection(SystemCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class TradeAnalyticsTests(SystemFixture system)
{
    private static int NewYear() => 2000 + Random.Shared.Next(100, 7000);

    private async Task CreateAsync(string exporter, string importer, string origin, decimal barrels, int year, int month, decimal? valueUsd = null) =>
        await system.Shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo(origin, "Test Blend", barrels, Quantity.Types.Unit.Barrels, null, year, month, 10, "Supsa",
                valueUsd: valueUsd, exporter: exporter, importer: importer),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline());

    private Task<BilateralTotals> Totals(string country, string partner, int year, int firstMonth, int lastMonth, Basis basis = Basis.Unspecified) =>
        system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = country, Partner = partner, FirstMonth = Month(year, firstMonth), LastMonth = Month(year, lastMonth), Basis = basis,
        }, Deadline()).ResponseAsync;

    private Task<BilateralTotals> ArrivedAsync(string country, string partner, int year, long shipments) =>
        Eventually.MatchAsync(() => Totals(country, partner, year, 1, 12),
            t => t.Exports.ShipmentCount + t.Imports.ShipmentCount == shipments, TimeSpan.FromSeconds(30), $"{shipments} shipments {country}–{partner} in {year}");

    [Fact]
    public async Task On_the_origin_basis_the_producing_country_is_the_exporter()
    {
        var year = NewYear();
        await CreateAsync("AZ", "BY", "AZ", 2_050_000m, year, 1);
        await CreateAsync("AZ", "BY", "KZ", 1_200_000m, year, 2);
        await CreateAsync("AZ", "BY", "RU", 580_000m, year, 3);
        var commercial = await ArrivedAsync("AZ", "BY", year, 3);
        Assert.Equal(3_830_000m, Dec(commercial.Exports.Barrels));
        Assert.Equal(Basis.Commercial, commercial.Basis);

        var origin = await Totals("AZ", "BY", year, 1, 12, Basis.Origin);
        Assert.Equal(Basis.Origin, origin.Basis);
        Assert.Equal(2_050_000m, Dec(origin.Exports.Barrels));
        Assert.Equal(["AZ"], origin.Exports.ByOrigin.Select(o => o.OriginCountry));

        var byRu = await Totals("BY", "RU", year, 1, 12, Basis.Origin);
        Assert.Equal(580_000m, Dec(byRu.Imports.Barrels));
        var byKz = await Totals("BY", "KZ", year, 1, 12, Basis.Origin);
        Assert.Equal(1_200_000m, Dec(byKz.Imports.Barrels));
    }

    [Fact]
    public async Task A_series_lists_every_month_with_zeros_where_nothing_moved()
    {
        var year = NewYear();
        await CreateAsync("KZ", "CN", "KZ", 300_000m, year, 2, 20_000_000m);
        await CreateAsync("CN", "KZ", "CN", 10_000m, year, 4, 1_500_000m);
        await ArrivedAsync("KZ", "CN", year, 2);

        var series = await system.Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
        {
            Country = "KZ", Partner = "CN", FirstMonth = Month(year, 1), LastMonth = Month(year, 5),
        }, Deadline());

        Assert.Equal([1, 2, 3, 4, 5], series.Months.Select(m => m.Month.Month));
        Assert.Equal([0m, 300_000m, 0m, 0m, 0m], series.Months.Select(m => Dec(m.Exports.Barrels)));
        Assert.Equal([0m, 20_000_000m, 0m, -1_500_000m, 0m], series.Months.Select(m => Usd(m.Balance)));
        Assert.Equal([0m, 20_000_000m, 0m, 1_500_000m, 0m], series.Months.Select(m => Usd(m.Turnover)));

        var ex = await Assert.ThrowsAsync<RpcException>(() => system.Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
        {
            Country = "KZ", Partner = "CN", FirstMonth = Month(year, 1),
        }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["last_month"], BadRequestOf(ex).FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task Quarters_and_years_add_up_to_the_months_they_cover_and_q1_plus_april_is_january_to_april()
    {
        var year = NewYear();
        await CreateAsync("AZ", "BY", "AZ", 700_000m, year, 1, 30_000_000m);
        await CreateAsync("AZ", "BY", "RU", 580_000m, year, 3);
        await CreateAsync("AZ", "BY", "AZ", 675_000m, year, 4, 25_000_000m);
        await CreateAsync("AZ", "BY", "AZ", 100_000m, year, 11);
        await ArrivedAsync("AZ", "BY", year, 4);

        Task<TradeSeries> Series(int first, int last, Granularity granularity) => system.Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(year, first), LastMonth = Month(year, last), Granularity = granularity,
        }, Deadline()).ResponseAsync;

        var quarters = await Series(1, 4, Granularity.Quarter);
        Assert.Equal(Granularity.Quarter, quarters.Granularity);
        Assert.Equal([(1, 3), (4, 4)], quarters.Months.Select(m => (m.Month.Month, m.LastMonth.Month)));
        Assert.Equal([1_280_000m, 675_000m], quarters.Months.Select(m => Dec(m.Exports.Barrels)));
        var januaryToApril = await Totals("AZ", "BY", year, 1, 4);
        Assert.Equal(Dec(januaryToApril.Exports.Barrels), quarters.Months.Sum(m => Dec(m.Exports.Barrels)));
        Assert.Equal(Usd(januaryToApril.Turnover), quarters.Months.Sum(m => Usd(m.Turnover)));
        // The rate is over the calendar days asked for (121 or, in a leap year, 122), rounded half-even to 3 places.
        var days = new DateOnly(year, 4, 30).DayNumber - new DateOnly(year, 1, 1).DayNumber + 1;
        Assert.Equal(Math.Round(1_955_000m / days, 3, MidpointRounding.ToEven), Dec(januaryToApril.Exports.BarrelsPerDay));
        Assert.Equal(Math.Round(675_000m / 30, 3, MidpointRounding.ToEven), Dec(quarters.Months[1].Exports.BarrelsPerDay));
        Assert.Null((await system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY", FirstMonth = Month(year, 1) }, Deadline()))
            .Exports.BarrelsPerDay);

        var months = await Series(1, 12, Granularity.Unspecified);
        Assert.Equal(Granularity.Month, months.Granularity);
        var byQuarter = await Series(1, 12, Granularity.Quarter);
        Assert.Equal(4, byQuarter.Months.Count);
        for (var q = 0; q < 4; q++)
        {
            Assert.Equal(months.Months.Skip(q * 3).Take(3).Sum(m => Dec(m.Exports.Barrels)), Dec(byQuarter.Months[q].Exports.Barrels));
        }
        var wholeYear = Assert.Single((await Series(1, 12, Granularity.Year)).Months);
        Assert.Equal(2_055_000m, Dec(wholeYear.Exports.Barrels));
        Assert.Equal(4, wholeYear.Exports.ShipmentCount);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Series(1, 12, (Granularity)9));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["granularity"], BadRequestOf(ex).FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task Year_to_date_runs_from_january_to_the_month_given_against_the_same_months_a_year_earlier()
    {
        var year = NewYear();
        await CreateAsync("NO", "PL", "NO", 200_000m, year - 1, 2);
        await CreateAsync("NO", "PL", "NO", 50_000m, year - 1, 8);
        await CreateAsync("NO", "PL", "NO", 300_000m, year, 3);
        await CreateAsync("NO", "PL", "NO", 70_000m, year, 4);
        await ArrivedAsync("NO", "PL", year - 1, 2);
        await ArrivedAsync("NO", "PL", year, 2);

        var ytd = await system.Trade.CompareBilateralTotalsAsync(new CompareBilateralTotalsRequest
        {
            Country = "NO", Partner = "PL", LastMonth = Month(year, 3), YearToDate = true,
        }, Deadline());

        Assert.Equal((year, 1, year, 3), (ytd.Current.FirstMonth.Year, ytd.Current.FirstMonth.Month, ytd.Current.LastMonth.Year, ytd.Current.LastMonth.Month));
        Assert.Equal((year - 1, 1, year - 1, 3), (ytd.Previous.FirstMonth.Year, ytd.Previous.FirstMonth.Month, ytd.Previous.LastMonth.Year, ytd.Previous.LastMonth.Month));
        Assert.Equal(300_000m, Dec(ytd.ExportsBarrels.Current));
        Assert.Equal(200_000m, Dec(ytd.ExportsBarrels.Previous));

        var both = await Assert.ThrowsAsync<RpcException>(() => system.Trade.CompareBilateralTotalsAsync(new CompareBilateralTotalsRequest
        {
            Country = "NO", Partner = "PL", FirstMonth = Month(year, 2), LastMonth = Month(year, 3), YearToDate = true,
        }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, both.StatusCode);
        Assert.Equal([("first_month", "CONFLICTING_FIELDS")], BadRequestOf(both).FieldViolations.Select(v => (v.Field, v.Reason)));

        var none = await Assert.ThrowsAsync<RpcException>(() => system.Trade.CompareBilateralTotalsAsync(new CompareBilateralTotalsRequest
        {
            Country = "NO", Partner = "PL", YearToDate = true,
        }, Deadline()).ResponseAsync);
        Assert.Equal(["last_month"], BadRequestOf(none).FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task A_comparison_gives_the_change_against_the_year_before()
    {
        var year = NewYear();
        await CreateAsync("NG", "ES", "NG", 100_000m, year - 1, 3, 8_000_000m);
        await CreateAsync("NG", "ES", "NG", 150_000m, year, 3, 9_000_000m);
        await ArrivedAsync("NG", "ES", year - 1, 1);
        await ArrivedAsync("NG", "ES", year, 1);

        var comparison = await system.Trade.CompareBilateralTotalsAsync(new CompareBilateralTotalsRequest
        {
            Country = "NG", Partner = "ES", FirstMonth = Month(year, 1), LastMonth = Month(year, 6),
        }, Deadline());

        Assert.Equal(year - 1, comparison.Previous.FirstMonth.Year);
        Assert.Equal(6, comparison.Previous.LastMonth.Month);
        Assert.Equal(100_000m, Dec(comparison.ExportsBarrels.Previous));
        Assert.Equal(150_000m, Dec(comparison.ExportsBarrels.Current));
        Assert.Equal(50_000m, Dec(comparison.ExportsBarrels.Absolute));
        Assert.Equal(50m, Dec(comparison.ExportsBarrels.Percent));
        Assert.Equal(12.5m, Dec(comparison.ExportsValue.Percent));
        Assert.Equal(12.5m, Dec(comparison.TurnoverValue.Percent));
        Assert.Null(comparison.ImportsValue.Percent);
        Assert.Equal(0m, Dec(comparison.ImportsValue.Absolute));
    }

    [Fact]
    public async Task Partners_are_ranked_and_paged()
    {
        var year = NewYear();
        await CreateAsync("NO", "DE", "NO", 300_000m, year, 5, 24_000_000m);
        await CreateAsync("NO", "GB", "NO", 100_000m, year, 5, 30_000_000m);
        await CreateAsync("NL", "NO", "NL", 200_000m, year, 6, 2_000_000m);
        await ArrivedAsync("NO", "DE", year, 1);
        await ArrivedAsync("NO", "GB", year, 1);
        await ArrivedAsync("NO", "NL", year, 1);

        var request = new ListPartnersRequest { Country = "NO", FirstMonth = Month(year, 1), LastMonth = Month(year, 12), PageSize = 2 };
        var first = await system.Trade.ListPartnersAsync(request, Deadline());
        Assert.Equal(["GB", "DE"], first.Partners.Select(p => p.Partner));
        Assert.Equal([1, 2], first.Partners.Select(p => p.Rank));
        var second = await system.Trade.ListPartnersAsync(new ListPartnersRequest(request) { PageToken = first.NextPageToken }, Deadline());
        var netherlands = Assert.Single(second.Partners);
        Assert.Equal(("NL", 3), (netherlands.Partner, netherlands.Rank));
        Assert.Equal(-2_000_000m, Usd(netherlands.Balance));
        Assert.Equal(200_000m, Dec(netherlands.TurnoverBarrels));
        Assert.Equal("", second.NextPageToken);

        var byBarrels = await system.Trade.ListPartnersAsync(new ListPartnersRequest(request) { OrderBy = OrderBy.Barrels, PageSize = 10 }, Deadline());
        Assert.Equal(["DE", "NL", "GB"], byBarrels.Partners.Select(p => p.Partner));

        var ex = await Assert.ThrowsAsync<RpcException>(() => system.Trade.ListPartnersAsync(
            new ListPartnersRequest(request) { PageToken = first.NextPageToken, OrderBy = OrderBy.Barrels }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["page_token"], BadRequestOf(ex).FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task A_watch_sends_the_totals_at_once_and_again_after_a_shipment_is_created()
    {
        var year = NewYear();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = system.Trade.WatchBilateralTotals(new GetBilateralTotalsRequest
        {
            Country = "OM", Partner = "IN", FirstMonth = Month(year, 1), LastMonth = Month(year, 12),
        }, cancellationToken: cts.Token);
        var received = Channel.CreateUnbounded<BilateralTotals>();
        var pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in call.ResponseStream.ReadAllAsync(cts.Token)) await received.Writer.WriteAsync(message);
                received.Writer.Complete();
            }
            catch (Exception ex)
            {
                received.Writer.Complete(ex);
            }
        });

        using (var first = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            var initial = await received.Reader.ReadAsync(first.Token);
            Assert.Equal(0, initial.Exports.ShipmentCount);
            Assert.Equal("OM", initial.Country);
        }

        await CreateAsync("OM", "IN", "OM", 500_000m, year, 7, 35_000_000m);

        // Well inside the stream's 30 s safety re-check: the update must come from the change notification.
        using (var next = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            var update = await received.Reader.ReadAsync(next.Token);
            Assert.Equal(1, update.Exports.ShipmentCount);
            Assert.Equal(500_000m, Dec(update.Exports.Barrels));
            Assert.Equal(35_000_000m, Usd(update.Turnover));
            Assert.NotNull(update.UpdateTime);
        }

        await cts.CancelAsync();
        await pump;
    }
}
