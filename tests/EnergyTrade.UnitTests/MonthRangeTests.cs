using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Api;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class MonthRangeTests
{
    private static (MonthRange Range, FieldViolations Violations) Parse(Google.Type.Date? first, Google.Type.Date? last)
    {
        var violations = new FieldViolations();
        return (MonthRange.Parse(first, last, "first_month", "last_month", violations), violations);
    }

    [Fact]
    public void Both_ends_open()
    {
        var (range, violations) = Parse(null, null);

        Assert.Empty(violations.Items);
        Assert.Equal(new MonthRange(null, null), range);
    }

    [Fact]
    public void Months_become_their_first_day()
    {
        var (range, violations) = Parse(Proto.Date(2020, 1, 0), Proto.Date(2020, 4, 0));

        Assert.Empty(violations.Items);
        Assert.Equal(new MonthRange(new DateOnly(2020, 1, 1), new DateOnly(2020, 4, 1)), range);
    }

    [Fact]
    public void One_end_may_be_open()
    {
        Assert.Equal(new MonthRange(new DateOnly(2020, 3, 1), null), Parse(Proto.Date(2020, 3, 0), null).Range);
        Assert.Equal(new MonthRange(null, new DateOnly(2020, 3, 1)), Parse(null, Proto.Date(2020, 3, 0)).Range);
    }

    [Fact]
    public void A_single_month_range_is_allowed()
    {
        var (range, violations) = Parse(Proto.Date(2020, 3, 0), Proto.Date(2020, 3, 0));

        Assert.Empty(violations.Items);
        Assert.Equal(range.First, range.Last);
    }

    [Theory]
    [InlineData(2020, 3, 1)]
    [InlineData(2020, 3, 15)]
    [InlineData(2020, 0, 0)]
    [InlineData(2020, 13, 0)]
    [InlineData(0, 3, 0)]
    public void A_day_or_an_impossible_month_is_rejected(int year, int month, int day)
    {
        var (range, violations) = Parse(Proto.Date(year, month, day), Proto.Date(2020, 12, 0));

        Assert.Equal(new[] { "first_month INVALID_MONTH" }, Proto.Keys(violations));
        Assert.Null(range.First);
    }

    [Fact]
    public void Last_month_with_a_day_is_rejected()
    {
        var (_, violations) = Parse(Proto.Date(2020, 1, 0), Proto.Date(2020, 4, 30));

        Assert.Equal(new[] { "last_month INVALID_MONTH" }, Proto.Keys(violations));
    }

    [Fact]
    public void First_after_last_is_an_empty_range()
    {
        var (_, violations) = Parse(Proto.Date(2020, 4, 0), Proto.Date(2020, 3, 0));

        var violation = Assert.Single(violations.Items);
        Assert.Equal("last_month", violation.Field);
        Assert.Equal("EMPTY_RANGE", violation.Reason);
        Assert.Contains("2020-03", violation.Description, StringComparison.Ordinal);
        Assert.Contains("2020-04", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Year_order_beats_month_order()
    {
        Assert.Empty(Parse(Proto.Date(2019, 12, 0), Proto.Date(2020, 1, 0)).Violations.Items);
        Assert.Equal(new[] { "last_month EMPTY_RANGE" }, Proto.Keys(Parse(Proto.Date(2020, 1, 0), Proto.Date(2019, 12, 0)).Violations));
    }

    [Fact]
    public void Both_ends_invalid_are_both_reported_and_no_range_check_is_made()
    {
        var (_, violations) = Parse(Proto.Date(2020, 4, 1), Proto.Date(2020, 3, 1));

        Assert.Equal(new[] { "first_month INVALID_MONTH", "last_month INVALID_MONTH" }, Proto.Keys(violations));
    }

    [Theory]
    [InlineData(2020, 1, 2020, 4, 121)]
    [InlineData(2021, 2, 2021, 2, 28)]
    [InlineData(2024, 2, 2024, 2, 29)]
    [InlineData(2019, 12, 2020, 1, 62)]
    [InlineData(1, 1, 1, 1, 31)]
    [InlineData(9999, 12, 9999, 12, 31)]
    public void A_closed_range_has_the_calendar_days_of_its_whole_months(int fy, int fm, int ly, int lm, int days)
    {
        Assert.Equal(days, new MonthRange(new DateOnly(fy, fm, 1), new DateOnly(ly, lm, 1)).Days);
    }

    [Fact]
    public void A_range_open_at_either_end_has_no_length()
    {
        Assert.Null(new MonthRange(new DateOnly(2020, 1, 1), null).Days);
        Assert.Null(new MonthRange(null, new DateOnly(2020, 4, 1)).Days);
    }
}
