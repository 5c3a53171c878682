using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Output;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class NumbersTests
{
    [Theory]
    [InlineData("3830000.000", "3,830,000 bbl")]
    [InlineData("700000", "700,000 bbl")]
    [InlineData("999", "999 bbl")]
    [InlineData("1000", "1,000 bbl")]
    [InlineData("0", "0 bbl")]
    [InlineData("0.000", "0 bbl")]
    [InlineData("95497.954", "95,497.954 bbl")]
    [InlineData("1234567.100", "1,234,567.1 bbl")]
    [InlineData("1e3", "1,000 bbl")]
    public void Barrels_get_thousands_separators_and_keep_every_significant_digit(string wire, string shown) =>
        Assert.Equal(shown, Numbers.Barrels(new Google.Type.Decimal { Value = wire }));

    [Fact]
    public void Tonnes_carry_their_unit() => Assert.Equal("519,208.732 t", Numbers.Tonnes(519_208.732m));

    [Theory]
    [InlineData(0L, 0, "0.00 USD")]
    [InlineData(25_000_000L, 0, "25,000,000.00 USD")]
    [InlineData(55_900_000L, 500_000_000, "55,900,000.50 USD")]
    [InlineData(-52_600_000L, 0, "-52,600,000.00 USD")]
    [InlineData(-3L, -10_000_000, "-3.01 USD")]
    [InlineData(1L, 1, "1.000000001 USD")]
    public void Money_shows_cents_exactly_and_never_rounds_away_nanos(long units, int nanos, string shown) =>
        Assert.Equal(shown, Numbers.Usd(new Google.Type.Money { CurrencyCode = "USD", Units = units, Nanos = nanos }));

    [Fact]
    public void Large_figures_stay_exact_where_a_double_would_not()
    {
        // 2^53 + 1 is the first integer a double cannot hold.
        Assert.Equal("9,007,199,254,740,993.125 bbl", Numbers.Barrels(new Google.Type.Decimal { Value = "9007199254740993.125" }));
    }

    [Fact]
    public void An_unset_decimal_or_money_counts_as_zero()
    {
        Assert.Equal("0 bbl", Numbers.Barrels((Google.Type.Decimal?)null));
        Assert.Equal("0.00 USD", Numbers.Usd((Google.Type.Money?)null));
    }

    [Theory]
    [InlineData("25000000.00", 25_000_000L, 0)]
    [InlineData("0.01", 0L, 10_000_000)]
    [InlineData("-52600000.75", -52_600_000L, -750_000_000)]
    public void Usd_becomes_money_with_units_and_nanos_of_the_same_sign(string usd, long units, int nanos)
    {
        var money = ProtoValues.Money(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((units, nanos, "USD"), (money.Units, money.Nanos, money.CurrencyCode));
        Assert.Equal(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture), ProtoValues.ToDecimal(money));
    }

    [Fact]
    public void Months_are_dates_with_day_zero()
    {
        var month = ProtoValues.Month(new DateOnly(2020, 4, 1));
        Assert.Equal((2020, 4, 0), (month.Year, month.Month, month.Day));
        Assert.Equal("2020-04", ProtoValues.Format(month));
        Assert.Equal("2020-04-18", ProtoValues.Format(ProtoValues.Date(new DateOnly(2020, 4, 18))));
    }
}
