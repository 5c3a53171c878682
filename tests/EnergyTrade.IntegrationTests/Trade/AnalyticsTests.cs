using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Google.Rpc;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;
using OrderBy = EnergyTrade.Trade.V1.ListPartnersRequest.Types.OrderBy;
using EnergyTrade.Types.V1;

namespace EnergyTrade.IntegrationTests.Trade;

/// <summary>
/// One Trade process on its own database, loaded once with known events, so every figure below is
/// absolute. Azerbaijan → Belarus, Jan–Apr 2020, as the seed article counts it: 2,050,000 bbl of
/// Azerbaijani oil, 1,200,000 of Kazakh and 580,000 of Russian, all sold by SOCAR.
/// </summary>
public sealed class AnalyticsFixture : IAsyncLifetime
{
    private ServiceUnderTest? _sut;

    public TradeService.TradeServiceClient Trade { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _sut = await ServiceUnderTest.CreateAsync("analytics");
        (_, Trade) = await _sut.StartTradeAsync();
        await using var raw = await RawEvents.ConnectAsync(_sut.VirtualHost.AmqpUri);

        ShipmentSnapshot Cargo(int year, int month, string exporter, string importer, string origin, decimal barrels, decimal value) =>
            RawEvents.Snapshot(Guid.NewGuid(), 1, barrels, origin: origin, year: year, month: month, exporter: exporter, importer: importer, valueUsd: value);

        ShipmentSnapshot[] events =
        [
            // 2020: the article's cargoes, values invented.
            Cargo(2020, 1, "AZ", "BY", "AZ", 700_000m, 35_000_000m),
            Cargo(2020, 2, "AZ", "BY", "KZ", 1_200_000m, 60_000_000m),
            Cargo(2020, 3, "AZ", "BY", "AZ", 675_000m, 30_000_000m),
            Cargo(2020, 3, "AZ", "BY", "RU", 580_000m, 25_000_000m),
            Cargo(2020, 4, "AZ", "BY", "AZ", 675_000m, 30_000_000m),
            Cargo(2020, 2, "BY", "AZ", "BY", 400_000m, 55_900_000m),
            // Other partners of Azerbaijan: IT and IL tie on barrels; GE sells Azerbaijan Kazakh oil.
            Cargo(2020, 3, "AZ", "IT", "AZ", 1_000_000m, 70_000_000m),
            Cargo(2020, 3, "AZ", "IL", "AZ", 1_000_000m, 50_000_000m),
            Cargo(2020, 4, "GE", "AZ", "KZ", 100_000m, 5_000_000m),
            // 2019, for the comparison.
            Cargo(2019, 2, "AZ", "BY", "AZ", 1_000_000m, 40_000_000m),
            Cargo(2019, 3, "BY", "AZ", "BY", 500_000m, 50_000_000m),
        ];
        foreach (var e in events) await raw.PublishAsync(e);

        // A cargo to Greece that was cancelled after it was counted leaves a zero row behind.
        var greece = RawEvents.Snapshot(Guid.NewGuid(), 1, 300_000m, year: 2020, month: 3, importer: "GR", valueUsd: 1m);
        await raw.PublishAsync(greece);
        await Eventually.MatchAsync(() => _sut.TradeDb.ScalarAsync<long>("SELECT count(*) FROM applied_shipments WHERE version = 1"),
            n => n == events.Length + 1, TimeSpan.FromSeconds(60), "every event applied");
        await raw.PublishAsync(RawEvents.Snapshot(greece.ShipmentId, 2, 300_000m, year: 2020, month: 3, importer: "GR", valueUsd: 1m,
            state: ShipmentState.Cancelled), kind: ShipmentChangeKind.Cancelled);
        await Eventually.MatchAsync(() => _sut.TradeDb.ScalarAsync<long>("SELECT count(*) FROM bilateral_totals WHERE importer_country = 'GR' AND shipment_count = 0"),
            n => n == 1, TimeSpan.FromSeconds(30), "the Greek cargo withdrawn");
    }

    public async Task DisposeAsync()
    {
        if (_sut is not null) await _sut.DisposeAsync();
    }
}

[Trait("Category", "Integration")]
public sealed class AnalyticsTests(AnalyticsFixture fixture) : IClassFixture<AnalyticsFixture>
{
    private TradeService.TradeServiceClient Trade => fixture.Trade;

    private static Google.Type.Date Month(int year, int month) => new() { Year = year, Month = month, Day = 0 };

    private static decimal Dec(Google.Type.Decimal d) => decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static decimal Usd(Google.Type.Money m) => m.Units + m.Nanos / 1_000_000_000m;

    private Task<BilateralTotals> Totals(string country, string partner, Basis basis, int year = 2020) =>
        Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = country, Partner = partner, FirstMonth = Month(year, 1), LastMonth = Month(year, 4), Basis = basis,
        }, Deadline()).ResponseAsync;

    private static async Task<BadRequest> InvalidArgument(Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        return ex.GetRpcStatus()?.GetDetail<BadRequest>() ?? throw new Xunit.Sdk.XunitException("no BadRequest detail");
    }

    [Fact]
    public async Task The_commercial_basis_counts_what_SOCAR_sold_and_is_the_default()
    {
        var unspecified = await Totals("AZ", "BY", Basis.Unspecified);
        var commercial = await Totals("AZ", "BY", Basis.Commercial);

        Assert.Equal(commercial, unspecified);
        Assert.Equal(Basis.Commercial, unspecified.Basis);
        Assert.Equal(3_830_000m, Dec(commercial.Exports.Barrels));
        Assert.Equal(["AZ", "KZ", "RU"], commercial.Exports.ByOrigin.Select(o => o.OriginCountry));
        Assert.Equal([2_050_000m, 1_200_000m, 580_000m], commercial.Exports.ByOrigin.Select(o => Dec(o.Barrels)));
        Assert.Equal(400_000m, Dec(commercial.Imports.Barrels));
        Assert.Equal(180_000_000m + 55_900_000m, Usd(commercial.Turnover));

        var byRu = await Totals("BY", "RU", Basis.Commercial);
        Assert.Equal(0, byRu.Imports.ShipmentCount);
    }

    [Fact]
    public async Task The_origin_basis_attributes_each_barrel_to_the_country_that_produced_it()
    {
        var azBy = await Totals("AZ", "BY", Basis.Origin);

        Assert.Equal(Basis.Origin, azBy.Basis);
        Assert.Equal(2_050_000m, Dec(azBy.Exports.Barrels));
        Assert.Equal(3, azBy.Exports.ShipmentCount);
        Assert.Equal(95_000_000m, Usd(azBy.Exports.Value));
        Assert.Equal(["AZ"], azBy.Exports.ByOrigin.Select(o => o.OriginCountry));
        Assert.Equal(400_000m, Dec(azBy.Imports.Barrels));
        Assert.Equal(["BY"], azBy.Imports.ByOrigin.Select(o => o.OriginCountry));
        Assert.Equal(95_000_000m - 55_900_000m, Usd(azBy.Balance));

        // The 1.78 M bbl of non-Azerbaijani oil are Belarus's imports from Russia and Kazakhstan.
        var byRu = await Totals("BY", "RU", Basis.Origin);
        Assert.Equal(580_000m, Dec(byRu.Imports.Barrels));
        Assert.Equal(1, byRu.Imports.ShipmentCount);
        Assert.Equal(0m, Dec(byRu.Exports.Barrels));
        var byKz = await Totals("BY", "KZ", Basis.Origin);
        Assert.Equal(1_200_000m, Dec(byKz.Imports.Barrels));

        // Seen from the other side, the same figures mirror.
        var ruBy = await Totals("RU", "BY", Basis.Origin);
        Assert.Equal(580_000m, Dec(ruBy.Exports.Barrels));
    }

    [Fact]
    public async Task A_series_has_every_month_with_zeros_where_nothing_moved()
    {
        var series = await Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2019, 11), LastMonth = Month(2020, 6),
        }, Deadline());

        Assert.Equal(Basis.Commercial, series.Basis);
        Assert.Equal(8, series.Months.Count);
        Assert.Equal([(2019, 11), (2019, 12), (2020, 1), (2020, 2), (2020, 3), (2020, 4), (2020, 5), (2020, 6)],
            series.Months.Select(m => (m.Month.Year, m.Month.Month)));
        Assert.Equal([0m, 0m, 700_000m, 1_200_000m, 1_255_000m, 675_000m, 0m, 0m], series.Months.Select(m => Dec(m.Exports.Barrels)));
        Assert.Equal([0m, 0m, 0m, 400_000m, 0m, 0m, 0m, 0m], series.Months.Select(m => Dec(m.Imports.Barrels)));
        var february = series.Months[3];
        Assert.Equal(115_900_000m, Usd(february.Turnover));
        Assert.Equal(4_100_000m, Usd(february.Balance));
        Assert.Empty(series.Months[0].Exports.ByOrigin);

        var origin = await Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), Basis = Basis.Origin,
        }, Deadline());
        Assert.Equal([700_000m, 0m, 675_000m, 675_000m], origin.Months.Select(m => Dec(m.Exports.Barrels)));
        Assert.Equal(Basis.Origin, origin.Basis);
    }

    [Fact]
    public async Task A_series_needs_both_months_and_at_most_600_of_them()
    {
        var missing = await InvalidArgument(() => Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest { Country = "AZ", Partner = "BY" }, Deadline()).ResponseAsync);
        Assert.Equal(["first_month", "last_month"], missing.FieldViolations.Select(v => v.Field));
        Assert.All(missing.FieldViolations, v => Assert.Equal("REQUIRED", v.Reason));

        var tooLong = await InvalidArgument(() => Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(1971, 1), LastMonth = Month(2021, 1),
        }, Deadline()).ResponseAsync);
        Assert.Equal("last_month", Assert.Single(tooLong.FieldViolations).Field);

        var longest = await Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(1971, 1), LastMonth = Month(2020, 12),
        }, Deadline());
        Assert.Equal(600, longest.Months.Count);
        Assert.Equal(3_830_000m + 1_000_000m, longest.Months.Sum(m => Dec(m.Exports.Barrels)));

        var all = await InvalidArgument(() => Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
        {
            Country = "az", Partner = "AZ", FirstMonth = Month(2020, 4), LastMonth = Month(2020, 1), Basis = (Basis)9,
        }, Deadline()).ResponseAsync);
        Assert.Equal(["basis", "country", "last_month"], all.FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_comparison_is_against_the_same_months_a_year_earlier()
    {
        var comparison = await Trade.CompareBilateralTotalsAsync(new CompareBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4),
        }, Deadline());

        Assert.Equal((2019, 1), (comparison.Previous.FirstMonth.Year, comparison.Previous.FirstMonth.Month));
        Assert.Equal((2019, 4), (comparison.Previous.LastMonth.Year, comparison.Previous.LastMonth.Month));
        Assert.Equal(3_830_000m, Dec(comparison.Current.Exports.Barrels));
        Assert.Equal(1_000_000m, Dec(comparison.Previous.Exports.Barrels));

        AssertChange(comparison.ExportsValue, 40_000_000m, 180_000_000m, 140_000_000m, 350m);
        AssertChange(comparison.ImportsValue, 50_000_000m, 55_900_000m, 5_900_000m, 11.8m);
        // 145.9 / 90 = 1.621111…
        AssertChange(comparison.TurnoverValue, 90_000_000m, 235_900_000m, 145_900_000m, 162.11m);
        AssertChange(comparison.ExportsBarrels, 1_000_000m, 3_830_000m, 2_830_000m, 283m);
        AssertChange(comparison.ImportsBarrels, 500_000m, 400_000m, -100_000m, -20m);
        AssertChange(comparison.TurnoverBarrels, 1_500_000m, 4_230_000m, 2_730_000m, 182m);

        // Nothing went to Italy a year earlier: no percentage can be given.
        var italy = await Trade.CompareBilateralTotalsAsync(new CompareBilateralTotalsRequest
        {
            Country = "AZ", Partner = "IT", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), Basis = Basis.Origin,
        }, Deadline());
        Assert.Null(italy.ExportsValue.Percent);
        Assert.Equal(70_000_000m, Dec(italy.ExportsValue.Absolute));
        Assert.Equal(Basis.Origin, italy.Current.Basis);
        Assert.Equal(Basis.Origin, italy.Previous.Basis);

        var invalid = await InvalidArgument(() => Trade.CompareBilateralTotalsAsync(new CompareBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1),
        }, Deadline()).ResponseAsync);
        Assert.Equal(["last_month"], invalid.FieldViolations.Select(v => v.Field));
    }

    private static void AssertChange(Change change, decimal previous, decimal current, decimal absolute, decimal percent)
    {
        Assert.Equal(previous, Dec(change.Previous));
        Assert.Equal(current, Dec(change.Current));
        Assert.Equal(absolute, Dec(change.Absolute));
        Assert.Equal(percent, Dec(change.Percent));
    }

    [Fact]
    public async Task Partners_are_ranked_by_turnover_value_or_by_barrels_ties_by_code()
    {
        ListPartnersRequest Request(OrderBy orderBy, Basis basis = Basis.Unspecified) => new()
        {
            Country = "AZ", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), OrderBy = orderBy, Basis = basis,
        };

        var byValue = await Trade.ListPartnersAsync(Request(OrderBy.Unspecified), Deadline());
        Assert.Equal(["BY", "IT", "IL", "GE"], byValue.Partners.Select(p => p.Partner));
        Assert.Equal([1, 2, 3, 4], byValue.Partners.Select(p => p.Rank));
        Assert.Equal("", byValue.NextPageToken);
        var belarus = byValue.Partners[0];
        Assert.Equal(235_900_000m, Usd(belarus.Turnover));
        Assert.Equal(124_100_000m, Usd(belarus.Balance));
        Assert.Equal(4_230_000m, Dec(belarus.TurnoverBarrels));
        Assert.Equal(3_830_000m, Dec(belarus.Exports.Barrels));
        Assert.Equal(400_000m, Dec(belarus.Imports.Barrels));
        var georgia = byValue.Partners[3];
        Assert.Equal(0, georgia.Exports.ShipmentCount);
        Assert.Equal(-5_000_000m, Usd(georgia.Balance));

        // Italy and Israel both took 1,000,000 bbl: the code decides.
        var byBarrels = await Trade.ListPartnersAsync(Request(OrderBy.Barrels), Deadline());
        Assert.Equal(["BY", "IL", "IT", "GE"], byBarrels.Partners.Select(p => p.Partner));

        // On the origin basis Georgia only carried Kazakh oil: Kazakhstan is the partner, and Belarus
        // bought only the Azerbaijani barrels from Azerbaijan.
        var origin = await Trade.ListPartnersAsync(Request(OrderBy.TurnoverValue, Basis.Origin), Deadline());
        Assert.Equal(["BY", "IT", "IL", "KZ"], origin.Partners.Select(p => p.Partner));
        Assert.Equal(2_050_000m, Dec(origin.Partners[0].Exports.Barrels));
        Assert.Equal(100_000m, Dec(origin.Partners[3].Imports.Barrels));
    }

    [Fact]
    public async Task Partners_page_with_a_token_valid_only_for_the_same_filters()
    {
        var request = new ListPartnersRequest { Country = "AZ", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), PageSize = 3 };
        var first = await Trade.ListPartnersAsync(request, Deadline());
        Assert.Equal(["BY", "IT", "IL"], first.Partners.Select(p => p.Partner));
        Assert.NotEqual("", first.NextPageToken);

        var second = await Trade.ListPartnersAsync(new ListPartnersRequest(request) { PageToken = first.NextPageToken, PageSize = 2 }, Deadline());
        Assert.Equal(["GE"], second.Partners.Select(p => p.Partner));
        Assert.Equal([4], second.Partners.Select(p => p.Rank));
        Assert.Equal("", second.NextPageToken);

        var otherFilter = await InvalidArgument(() => Trade.ListPartnersAsync(
            new ListPartnersRequest(request) { PageToken = first.NextPageToken, OrderBy = OrderBy.Barrels }, Deadline()).ResponseAsync);
        Assert.Equal("page_token", Assert.Single(otherFilter.FieldViolations).Field);
        var otherRange = await InvalidArgument(() => Trade.ListPartnersAsync(
            new ListPartnersRequest(request) { PageToken = first.NextPageToken, LastMonth = Month(2020, 5) }, Deadline()).ResponseAsync);
        Assert.Equal("page_token", Assert.Single(otherRange.FieldViolations).Field);
    }

    [Fact]
    public async Task A_cancelled_cargo_leaves_no_partner_and_no_origin_behind()
    {
        var partners = await Trade.ListPartnersAsync(new ListPartnersRequest { Country = "AZ" }, Deadline());
        Assert.DoesNotContain(partners.Partners, p => p.Partner == "GR");

        var greece = await Totals("AZ", "GR", Basis.Commercial);
        Assert.Equal(0, greece.Exports.ShipmentCount);
        Assert.Empty(greece.Exports.ByOrigin);
        Assert.NotNull(greece.UpdateTime);
    }

    [Fact]
    public async Task Every_partners_violation_is_reported_at_once()
    {
        var all = await InvalidArgument(() => Trade.ListPartnersAsync(new ListPartnersRequest
        {
            Country = "", FirstMonth = new Google.Type.Date { Year = 2020, Month = 1, Day = 5 }, Basis = (Basis)5,
            OrderBy = (OrderBy)9, PageSize = -1, PageToken = "garbage",
        }, Deadline()).ResponseAsync);

        Assert.Equal(["basis", "country", "first_month", "order_by", "page_size", "page_token"],
            all.FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_watch_rejects_an_invalid_request_before_streaming()
    {
        using var call = Trade.WatchBilateralTotals(new GetBilateralTotalsRequest { Country = "AZ", Partner = "XX", Basis = (Basis)4 }, Deadline());
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var badRequest = ex.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal(["basis", "partner"], badRequest.FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal));
    }
}
