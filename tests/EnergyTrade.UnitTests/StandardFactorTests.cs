using System.Security.Cryptography;
using System.Text.Json;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Api;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.UnitTests;

/// <summary>A quantity without barrels_per_tonne: converted at its grade's standard factor, 7.33 only for a grade the catalogue does not know.</summary>
[Trait("Category", "Unit")]
public sealed class StandardFactorTests
{
    private static V1.Shipment Cargo(string grade, string quantity = "700000", V1.Quantity.Types.Unit unit = V1.Quantity.Types.Unit.Barrels, string? factor = null)
    {
        var shipment = Proto.ValidShipment();
        shipment.Grade = grade;
        shipment.Quantity = new V1.Quantity { Value = Proto.Dec(quantity), Unit = unit };
        if (factor is not null) shipment.Quantity.BarrelsPerTonne = Proto.Dec(factor);
        return shipment;
    }

    private static ShipmentInput Parse(V1.Shipment shipment)
    {
        var violations = new FieldViolations();
        var input = ShipmentInput.Parse(shipment, "shipment.", violations);
        Assert.Empty(violations.Items);
        return input;
    }

    [Theory]
    [InlineData("Azeri Light", "7.40")]
    [InlineData("  azeri   LIGHT ", "7.40")]
    [InlineData("BTC Blend", "7.40")]
    [InlineData("CPC Blend", "7.87")]
    [InlineData("urals", "7.26")]
    public void A_known_grade_without_a_factor_is_converted_at_its_standard_factor(string grade, string factor)
    {
        var input = Parse(Cargo(grade));

        Assert.Equal(decimal.Parse(factor, System.Globalization.CultureInfo.InvariantCulture), input.BarrelsPerTonne);
        Assert.False(input.BarrelsPerTonneGiven);
    }

    [Fact]
    public void The_grade_is_kept_as_typed_while_it_finds_its_standard_factor()
    {
        Assert.Equal("azeri LIGHT", Parse(Cargo("  azeri   LIGHT ")).Grade);
    }

    [Fact]
    public void An_unknown_grade_without_a_factor_is_converted_at_7_33()
    {
        var input = Parse(Cargo("Unknown Blend"));

        Assert.Equal(7.33m, input.BarrelsPerTonne);
        Assert.False(input.BarrelsPerTonneGiven);
    }

    [Fact]
    public void A_given_factor_wins_over_the_grades()
    {
        var input = Parse(Cargo("Urals", factor: "7.25"));

        Assert.Equal(7.25m, input.BarrelsPerTonne);
        Assert.True(input.BarrelsPerTonneGiven);
    }

    [Fact]
    public void The_standard_factor_is_the_one_the_converted_quantity_is_judged_at()
    {
        // 136,425,648 t is 999,999,999.84 bbl at 7.33, within 10^9; at Azeri Light's 7.40 it is 1,009,549,795.2 bbl.
        Assert.Equal(7.33m, Parse(Cargo("Unknown Blend", "136425648", V1.Quantity.Types.Unit.MetricTonnes)).BarrelsPerTonne);

        var violations = new FieldViolations();
        ShipmentInput.Parse(Cargo("Azeri Light", "136425648", V1.Quantity.Types.Unit.MetricTonnes), "shipment.", violations);

        var violation = Assert.Single(violations.Items);
        Assert.Equal(("shipment.quantity.value", "TOO_LARGE"), (violation.Field, violation.Reason));
    }

    [Fact]
    public void A_create_without_a_factor_keeps_the_fingerprint_it_had_before_the_catalogue()
    {
        var input = Parse(Cargo("Azeri Light"));
        // What RequestFingerprint computed when every such create was converted at 7.33.
        var before = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(input with { BarrelsPerTonne = 7.33m })));

        Assert.Equal(before, RequestFingerprint.Of(input));
        Assert.Equal(RequestFingerprint.Of(input), RequestFingerprint.Of(input with { BarrelsPerTonne = 7.87m }));
    }
}
