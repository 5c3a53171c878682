using System.Globalization;
using EnergyTrade.Trade.Api;
using V1 = EnergyTrade.Trade.V1;
using EnergyTrade.Types.V1;

namespace EnergyTrade.UnitTests.Trade;

[Trait("Category", "Unit")]
public sealed class MonthlySeriesTests
{
    private static readonly PairQuery Query = new("AZ", "BY", new MonthRange(null, null), Basis.Commercial);

    private static MonthlyFlowSums Sums(int year, int month, FlowDirection direction, string origin, long count, decimal barrels, decimal value = 0) =>
        new(new DateOnly(year, month, 1), new FlowSums(direction, origin, GroupKeys.None, count, barrels, barrels / 7.5m, value, value > 0 ? count : 0, value > 0 ? barrels : 0, DateTimeOffset.UnixEpoch));

    [Fact]
    public void Every_month_of_the_range_is_present_oldest_first_with_zeros_where_nothing_moved()
    {
        var series = MonthlySeries.Build(Query, new DateOnly(2019, 11, 1), new DateOnly(2020, 6, 1),
        [
            Sums(2020, 3, FlowDirection.Exports, "RU", 1, 580_000m),
            Sums(2020, 1, FlowDirection.Exports, "AZ", 1, 700_000m),
            Sums(2020, 3, FlowDirection.Exports, "AZ", 1, 675_000m),
        ]);

        Assert.Equal(["2019-11", "2019-12", "2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"],
            series.Months.Select(m => $"{m.Month.Year:D4}-{m.Month.Month:D2}"));
        Assert.All(series.Months, m => Assert.Equal(0, m.Month.Day));
        Assert.Equal([0m, 0m, 700_000m, 0m, 1_255_000m, 0m, 0m, 0m], series.Months.Select(m => D(m.Exports.Barrels)));
        Assert.All(series.Months, m => Assert.Equal(0, m.Imports.ShipmentCount));

        var empty = series.Months[0];
        Assert.Equal(0, empty.Exports.ShipmentCount);
        Assert.Empty(empty.Exports.ByOrigin);
        Assert.Equal("USD", empty.Turnover.CurrencyCode);
        Assert.Equal(0, empty.Turnover.Units);

        Assert.Equal(["AZ", "RU"], series.Months[4].Exports.ByOrigin.Select(o => o.OriginCountry));
        Assert.Equal(("AZ", "BY", Basis.Commercial), (series.Country, series.Partner, series.Basis));
    }

    [Fact]
    public void Turnover_and_balance_are_per_month()
    {
        var series = MonthlySeries.Build(Query, new DateOnly(2020, 1, 1), new DateOnly(2020, 2, 1),
        [
            Sums(2020, 1, FlowDirection.Exports, "AZ", 1, 40_000m, 3_300_000m),
            Sums(2020, 2, FlowDirection.Imports, "BY", 1, 400_000m, 55_900_000.50m),
            Sums(2020, 2, FlowDirection.Exports, "AZ", 2, 10_000m, 1_000_000m),
        ]);

        Assert.Equal(3_300_000m, Usd(series.Months[0].Turnover));
        Assert.Equal(3_300_000m, Usd(series.Months[0].Balance));
        Assert.Equal(56_900_000.50m, Usd(series.Months[1].Turnover));
        Assert.Equal(-54_900_000.50m, Usd(series.Months[1].Balance));
        Assert.Equal(2, series.Months[1].Exports.ShipmentCount);
    }

    [Fact]
    public void A_month_whose_shipments_were_cancelled_is_zero_and_names_no_origin()
    {
        var series = MonthlySeries.Build(Query, new DateOnly(2020, 3, 1), new DateOnly(2020, 3, 1),
            [Sums(2020, 3, FlowDirection.Exports, "KZ", 0, 0m)]);

        var march = Assert.Single(series.Months);
        Assert.Equal(0, march.Exports.ShipmentCount);
        Assert.Empty(march.Exports.ByOrigin);
    }

    [Theory]
    [InlineData(2020, 3, 2020, 3, 1)]
    [InlineData(2019, 12, 2020, 1, 2)]
    [InlineData(2020, 1, 2020, 12, 12)]
    [InlineData(1971, 1, 2020, 12, 600)]
    [InlineData(1971, 1, 2021, 1, 601)]
    public void Month_count_includes_both_ends(int fy, int fm, int ly, int lm, int expected)
    {
        Assert.Equal(expected, MonthlySeries.MonthCount(new DateOnly(fy, fm, 1), new DateOnly(ly, lm, 1)));
    }

    [Fact]
    public void A_series_ending_in_the_last_representable_month_does_not_overflow()
    {
        var series = MonthlySeries.Build(Query, new DateOnly(9999, 11, 1), new DateOnly(9999, 12, 1), []);

        Assert.Equal([11, 12], series.Months.Select(m => m.Month.Month));
    }

    private static decimal D(Google.Type.Decimal d) => decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static decimal Usd(Google.Type.Money m) => m.Units + m.Nanos / 1_000_000_000m;

    private static string Label((DateOnly First, DateOnly Last) b) => $"{b.First:yyyy-MM}..{b.Last:yyyy-MM}";

    [Theory]
    [InlineData(V1.Granularity.Month, "2020-01..2020-01 2020-02..2020-02 2020-03..2020-03 2020-04..2020-04")]
    [InlineData(V1.Granularity.Quarter, "2020-01..2020-03 2020-04..2020-04")]
    [InlineData(V1.Granularity.Year, "2020-01..2020-04")]
    public void Buckets_follow_the_calendar_and_are_clipped_to_the_range(V1.Granularity granularity, string expected)
    {
        Assert.Equal(expected, string.Join(' ', MonthlySeries.Buckets(new DateOnly(2020, 1, 1), new DateOnly(2020, 4, 1), granularity).Select(Label)));
    }

    [Fact]
    public void A_range_that_starts_and_ends_inside_quarters_and_years_gets_partial_entries_at_both_ends()
    {
        Assert.Equal("2019-11..2019-12 2020-01..2020-03 2020-04..2020-06 2020-07..2020-07",
            string.Join(' ', MonthlySeries.Buckets(new DateOnly(2019, 11, 1), new DateOnly(2020, 7, 1), V1.Granularity.Quarter).Select(Label)));
        Assert.Equal("2019-11..2019-12 2020-01..2020-12 2021-01..2021-02",
            string.Join(' ', MonthlySeries.Buckets(new DateOnly(2019, 11, 1), new DateOnly(2021, 2, 1), V1.Granularity.Year).Select(Label)));
        Assert.Equal("9999-10..9999-12",
            string.Join(' ', MonthlySeries.Buckets(new DateOnly(9999, 10, 1), new DateOnly(9999, 12, 1), V1.Granularity.Quarter).Select(Label)));
    }

    [Fact]
    public void Quarterly_entries_add_up_to_the_monthly_ones_and_say_which_months_they_cover()
    {
        MonthlyFlowSums[] sums =
        [
            Sums(2020, 1, FlowDirection.Exports, "AZ", 1, 700_000m, 30_000_000m),
            Sums(2020, 3, FlowDirection.Exports, "AZ", 1, 675_000m),
            Sums(2020, 3, FlowDirection.Exports, "RU", 1, 580_000m),
            Sums(2020, 4, FlowDirection.Imports, "KZ", 2, 100_000m, 5_000_000m),
        ];

        var quarterly = MonthlySeries.Build(Query, new DateOnly(2020, 1, 1), new DateOnly(2020, 4, 1), sums, V1.Granularity.Quarter);
        var yearly = MonthlySeries.Build(Query, new DateOnly(2020, 1, 1), new DateOnly(2020, 4, 1), sums, V1.Granularity.Year);

        Assert.Equal(V1.Granularity.Quarter, quarterly.Granularity);
        Assert.Equal([(1, 3), (4, 4)], quarterly.Months.Select(m => (m.Month.Month, m.LastMonth.Month)));
        Assert.Equal([1_955_000m, 0m], quarterly.Months.Select(m => D(m.Exports.Barrels)));
        Assert.Equal(3, quarterly.Months[0].Exports.ShipmentCount);
        Assert.Equal(["AZ", "RU"], quarterly.Months[0].Exports.ByOrigin.Select(o => o.OriginCountry));
        Assert.Equal(100_000m, D(quarterly.Months[1].Imports.Barrels));

        var year = Assert.Single(yearly.Months);
        Assert.Equal((1, 4), (year.Month.Month, year.LastMonth.Month));
        Assert.Equal(1_955_000m, D(year.Exports.Barrels));
        Assert.Equal(25_000_000, year.Balance.Units);
    }

    [Fact]
    public void Every_flow_carries_its_rate_over_the_calendar_days_of_its_entry_rounded_half_even()
    {
        var seed = new PairTotals(Query with { Range = new MonthRange(new DateOnly(2020, 1, 1), new DateOnly(2020, 4, 1)) },
            [Sums(2020, 1, FlowDirection.Exports, "AZ", 5, 3_830_000m).Sums]);
        var open = new PairTotals(Query with { Range = new MonthRange(new DateOnly(2020, 1, 1), null) },
            [Sums(2020, 1, FlowDirection.Exports, "AZ", 5, 3_830_000m).Sums]);

        // 3,830,000 / 121 = 31,652.892561…
        Assert.Equal("31652.893", seed.ToProto().Exports.BarrelsPerDay.Value);
        Assert.Null(open.ToProto().Exports.BarrelsPerDay);

        var quarterly = MonthlySeries.Build(Query, new DateOnly(2020, 1, 1), new DateOnly(2020, 4, 1),
            [Sums(2020, 2, FlowDirection.Exports, "AZ", 1, 910_000m), Sums(2020, 4, FlowDirection.Exports, "AZ", 1, 30_000.015m)], V1.Granularity.Quarter);
        // Q1 2020 has 91 days; April 30, and 1,000.0005 rounds half-even to 1,000.000.
        Assert.Equal(["10000.000", "1000.000"], quarterly.Months.Select(m => D(m.Exports.BarrelsPerDay).ToString("0.000", CultureInfo.InvariantCulture)));
        Assert.Equal(1_000.000m, D(quarterly.Months[1].Exports.BarrelsPerDay));
    }
}
