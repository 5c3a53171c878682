using System.Globalization;
using EnergyTrade.Contracts.Grades;

namespace EnergyTrade.UnitTests;

/// <summary>Standard barrels per tonne from API gravity, checked against figures worked out by hand.</summary>
[Trait("Category", "Unit")]
public sealed class ApiGravityFactorTests
{
    [Fact]
    public void Api_34_8_is_7_40_barrels_per_tonne_as_worked_by_hand()
    {
        // SG = 141.5 / 166.3 = 0.850872; × 0.999016 t/m³ = 0.850035 t/m³; × 0.158987 m³ = 0.135145 t/bbl;
        // 1 / 0.135145 = 7.39948 bbl/t, which is 7.40.
        Assert.Equal(0.850872m, Math.Round(ApiGravityFactor.SpecificGravity(34.8m), 6));
        Assert.Equal("7.40", Text(ApiGravityFactor.BarrelsPerTonne(34.8m)));
    }

    [Theory]
    [InlineData("31.7", "7.26")] // Urals: (31.7 + 131.5) / 22.474565 = 7.26154
    [InlineData("45.3", "7.87")] // CPC Blend: 176.8 / 22.474565 = 7.86667
    [InlineData("28.0", "7.10")] // Johan Sverdrup: 159.5 / 22.474565 = 7.09691
    [InlineData("21.8", "6.82")] // Maya: 153.3 / 22.474565 = 6.82104
    [InlineData("10", "6.30")] // water's gravity: SG 1, 1 / (0.999016 × 0.158987294928) = 6.29601
    public void Each_gravity_gives_the_factor_worked_by_hand(string api, string factor)
    {
        Assert.Equal(factor, Text(ApiGravityFactor.BarrelsPerTonne(decimal.Parse(api, CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Gravity_10_is_the_specific_gravity_of_water()
    {
        Assert.Equal(1m, ApiGravityFactor.SpecificGravity(10m));
    }

    [Fact]
    public void Lighter_oil_has_more_barrels_to_the_tonne()
    {
        Assert.True(ApiGravityFactor.BarrelsPerTonne(45m) > ApiGravityFactor.BarrelsPerTonne(30m));
    }

    [Fact]
    public void The_factor_always_carries_exactly_two_places()
    {
        Assert.All(new[] { 10m, 20.5m, 34.8m, 45.3m }, api => Assert.Equal(2, ApiGravityFactor.BarrelsPerTonne(api).Scale));
    }

    [Fact]
    public void A_gravity_no_liquid_has_is_refused_rather_than_divided_by()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ApiGravityFactor.BarrelsPerTonne(-131.5m));
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
