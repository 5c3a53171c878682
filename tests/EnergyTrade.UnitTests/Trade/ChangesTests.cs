using System.Globalization;
using EnergyTrade.Trade.Api;

namespace EnergyTrade.UnitTests.Trade;

[Trait("Category", "Unit")]
public sealed class ChangesTests
{
    [Theory]
    [InlineData("100", "150", "50")]
    [InlineData("100", "50", "-50")]
    [InlineData("100", "0", "-100")]
    [InlineData("3", "4", "33.33")]
    [InlineData("3", "5", "66.67")]
    [InlineData("7", "6", "-14.29")]
    public void Percent_is_the_change_relative_to_previous_rounded_to_two_places(string previous, string current, string expected)
    {
        Assert.Equal(D(expected), Changes.Percent(D(previous), D(current)));
    }

    [Theory]
    // Exact ties at the third place go to the even neighbour, not away from zero.
    [InlineData("1000", "1123.45", "12.34")]
    [InlineData("1000", "1123.55", "12.36")]
    [InlineData("1000", "876.55", "-12.34")]
    [InlineData("1000", "876.45", "-12.36")]
    [InlineData("200", "200.05", "0.02")]
    [InlineData("200", "200.09", "0.04")]
    public void Ties_round_half_even(string previous, string current, string expected)
    {
        Assert.Equal(D(expected), Changes.Percent(D(previous), D(current)));
    }

    [Fact]
    public void No_percent_when_previous_is_zero()
    {
        Assert.Null(Changes.Percent(0m, 5m));
        Assert.Null(Changes.Percent(0m, 0m));

        var change = Changes.Of(0m, 2_050_000m);
        Assert.Null(change.Percent);
        Assert.Equal("0", change.Previous.Value);
        Assert.Equal("2050000", change.Current.Value);
        Assert.Equal("2050000", change.Absolute.Value);
    }

    [Fact]
    public void A_change_carries_previous_current_absolute_and_percent_as_exact_decimals()
    {
        var change = Changes.Of(1_000_000.10m, 1_250_000.35m);

        Assert.Equal(1_000_000.10m, D(change.Previous.Value));
        Assert.Equal(1_250_000.35m, D(change.Current.Value));
        Assert.Equal(250_000.25m, D(change.Absolute.Value));
        Assert.Equal(25.00m, D(change.Percent.Value));
    }

    [Fact]
    public void Large_figures_stay_exact()
    {
        var previous = 123_456_789_012_345_678.91m;
        var current = previous * 2;

        var change = Changes.Of(previous, current);

        Assert.Equal(previous, D(change.Absolute.Value));
        Assert.Equal(100m, D(change.Percent.Value));
    }

    private static decimal D(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
