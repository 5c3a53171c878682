using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Shipments.Data;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class QuantitiesTests
{
    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Tonnes_at_7_5_become_barrels_exactly()
    {
        var (barrels, tonnes) = Quantities.Normalise(90_000m, QuantityUnit.MetricTonnes, 7.5m);

        Assert.Equal(675_000m, barrels);
        Assert.Equal("675000.000", Text(barrels));
        Assert.Equal("90000.000", Text(tonnes));
    }

    [Fact]
    public void Barrels_at_the_default_factor_become_tonnes_rounded_to_3_places()
    {
        // 1,000,000 / 7.33 = 136425.648021828…; the 4th place is 0, so it rounds down either way.
        var exact = 1_000_000m / 7.33m;
        Assert.StartsWith("136425.6480218", Text(exact), StringComparison.Ordinal);

        var (barrels, tonnes) = Quantities.Normalise(1_000_000m, QuantityUnit.Barrels, Limits.DefaultBarrelsPerTonne);

        Assert.Equal("1000000.000", Text(barrels));
        Assert.Equal("136425.648", Text(tonnes));
        Assert.Equal(Math.Round(exact, 3, MidpointRounding.ToEven), tonnes);
    }

    [Fact]
    public void A_tie_at_the_4th_place_goes_to_the_even_neighbour_not_away_from_zero()
    {
        var exact = 60.004m / 8m;
        Assert.Equal(7.5005m, exact);
        Assert.Equal(7.501m, Math.Round(exact, 3, MidpointRounding.AwayFromZero));

        var (_, tonnes) = Quantities.Normalise(60.004m, QuantityUnit.Barrels, 8m);

        Assert.Equal(7.500m, tonnes);
        Assert.NotEqual(Math.Round(exact, 3, MidpointRounding.AwayFromZero), tonnes);
    }

    [Theory]
    // 60.004 / 8 = 7.5005 exactly: half-even keeps 7.500, away-from-zero would give 7.501.
    [InlineData("60.004", "8", "7.500")]
    // 60.012 / 8 = 7.5015 exactly: the even neighbour is 7.502.
    [InlineData("60.012", "8", "7.502")]
    // 60.0041 / 8 = 7.5005125: above the midpoint, so up.
    [InlineData("60.0041", "8", "7.501")]
    public void Tonnes_from_barrels_round_half_even(string barrels, string factor, string expectedTonnes)
    {
        var (_, tonnes) = Quantities.Normalise(decimal.Parse(barrels, CultureInfo.InvariantCulture), QuantityUnit.Barrels,
            decimal.Parse(factor, CultureInfo.InvariantCulture));

        Assert.Equal(expectedTonnes, Text(tonnes));
    }

    [Theory]
    // 1.0001 t × 5 = 5.0005 bbl: half-even gives 5.000, away-from-zero 5.001.
    [InlineData("1.0001", "5", "5.000")]
    // 1.0003 t × 5 = 5.0015 bbl: half-even gives 5.002.
    [InlineData("1.0003", "5", "5.002")]
    public void Barrels_from_tonnes_round_half_even(string tonnes, string factor, string expectedBarrels)
    {
        var (barrels, _) = Quantities.Normalise(decimal.Parse(tonnes, CultureInfo.InvariantCulture), QuantityUnit.MetricTonnes,
            decimal.Parse(factor, CultureInfo.InvariantCulture));

        Assert.Equal(expectedBarrels, Text(barrels));
    }

    [Theory]
    [InlineData(QuantityUnit.Barrels, "2.0005", "2.000")]
    [InlineData(QuantityUnit.Barrels, "2.0015", "2.002")]
    [InlineData(QuantityUnit.MetricTonnes, "0.0025", "0.002")]
    public void The_recorded_quantity_itself_rounds_half_even(QuantityUnit unit, string value, string expected)
    {
        var (barrels, tonnes) = Quantities.Normalise(decimal.Parse(value, CultureInfo.InvariantCulture), unit, 5m);

        Assert.Equal(expected, Text(unit == QuantityUnit.Barrels ? barrels : tonnes));
    }

    [Theory]
    [InlineData(QuantityUnit.Barrels, "700000")]
    [InlineData(QuantityUnit.Barrels, "1.5")]
    [InlineData(QuantityUnit.MetricTonnes, "80000")]
    [InlineData(QuantityUnit.MetricTonnes, "0.123456")]
    public void Results_always_carry_exactly_3_places(QuantityUnit unit, string value)
    {
        var (barrels, tonnes) = Quantities.Normalise(decimal.Parse(value, CultureInfo.InvariantCulture), unit, 7.25m);

        Assert.Equal(3, barrels.Scale);
        Assert.Equal(3, tonnes.Scale);
    }

    [Fact]
    public void Urals_at_7_25()
    {
        var (barrels, tonnes) = Quantities.Normalise(80_000m, QuantityUnit.MetricTonnes, 7.25m);

        Assert.Equal("580000.000", Text(barrels));
        Assert.Equal("80000.000", Text(tonnes));
    }

    [Fact]
    public void An_unknown_unit_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantities.Normalise(1m, (QuantityUnit)0, 7.33m));
    }
}
