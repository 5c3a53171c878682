using EnergyTrade.Contracts;

namespace EnergyTrade.UnitTests;

/// <summary>The rule book, as Trade applies it to every snapshot it receives.</summary>
[Trait("Category", "Unit")]
public sealed class ShipmentRulesTests
{
    [Fact]
    public void A_good_snapshot_breaks_no_rule()
    {
        Assert.Empty(ShipmentRules.Check(Snapshots.Valid()));
        Assert.Empty(ShipmentRules.Check(Snapshots.Valid() with { ValueUsd = 0m }));
    }

    [Fact]
    public void An_undisclosed_origin_breaks_no_rule_but_an_empty_code_is_not_one()
    {
        Assert.Empty(ShipmentRules.Check(Snapshots.Valid() with { OriginCountry = null }));
        Assert.Equal([SnapshotField.OriginCountry], ShipmentRules.Check(Snapshots.Valid() with { OriginCountry = "" }).Select(v => v.Field));
    }

    public static TheoryData<SnapshotField, string, Func<ShipmentSnapshot, ShipmentSnapshot>> BadSnapshots => new()
    {
        { SnapshotField.ShipmentId, "REQUIRED", s => s with { ShipmentId = Guid.Empty } },
        { SnapshotField.Version, "OUT_OF_RANGE", s => s with { Version = 0 } },
        { SnapshotField.Version, "OUT_OF_RANGE", s => s with { Version = -3 } },
        { SnapshotField.State, "INVALID_ENUM", s => s with { State = 0 } },
        { SnapshotField.State, "INVALID_ENUM", s => s with { State = (ShipmentState)7 } },
        { SnapshotField.QuantityUnit, "REQUIRED", s => s with { QuantityUnit = 0 } },
        { SnapshotField.ExporterCountry, "UNKNOWN_COUNTRY", s => s with { ExporterCountry = "EU" } },
        { SnapshotField.ImporterCountry, "UNKNOWN_COUNTRY", s => s with { ImporterCountry = "by" } },
        { SnapshotField.OriginCountry, "REQUIRED", s => s with { OriginCountry = "" } },
        { SnapshotField.ImporterCountry, "SAME_COUNTRY", s => s with { ImporterCountry = "AZ" } },
        { SnapshotField.Shipper, "REQUIRED", s => s with { Shipper = " " } },
        { SnapshotField.Grade, "INVALID_CHARACTERS", s => s with { Grade = "Urals\0" } },
        { SnapshotField.LoadPort, "INVALID_CHARACTERS", s => s with { LoadPort = "Supsa\u0085" } },
        { SnapshotField.DischargePort, "TOO_LONG", s => s with { DischargePort = new string('x', 129) } },
        { SnapshotField.QuantityValue, "NOT_POSITIVE", s => s with { QuantityValue = 0m } },
        { SnapshotField.QuantityValue, "TOO_LARGE", s => s with { QuantityValue = 1_000_000_001m } },
        { SnapshotField.QuantityValue, "TOO_PRECISE", s => s with { QuantityValue = 80_000.0000001m } },
        { SnapshotField.BarrelsPerTonne, "OUT_OF_RANGE", s => s with { BarrelsPerTonne = 4.99m } },
        { SnapshotField.Barrels, "INCONSISTENT", s => s with { Barrels = -1m } },
        { SnapshotField.Barrels, "INCONSISTENT", s => s with { Barrels = 580_000.001m } },
        { SnapshotField.Tonnes, "INCONSISTENT", s => s with { Tonnes = 0m } },
        { SnapshotField.ValueUsd, "NEGATIVE", s => s with { ValueUsd = -0.01m } },
        { SnapshotField.ValueUsd, "TOO_LARGE", s => s with { ValueUsd = 1_000_000_000_000.01m } },
        { SnapshotField.ValueUsd, "TOO_PRECISE", s => s with { ValueUsd = 1.005m } },
        { SnapshotField.DeliveryDate, "DELIVERY_BEFORE_LOAD", s => s with { DeliveryDate = new DateOnly(2020, 3, 14) } },
        { SnapshotField.CancelReason, "INVALID_CHARACTERS", s => s with { CancelReason = "typo\u001b[31m" } },
    };

    [Theory]
    [MemberData(nameof(BadSnapshots))]
    public void Each_broken_rule_is_reported_on_its_field(SnapshotField field, string reason, Func<ShipmentSnapshot, ShipmentSnapshot> spoil)
    {
        var violation = Assert.Single(ShipmentRules.Check(spoil(Snapshots.Valid())));

        Assert.Equal((field, reason), (violation.Field, violation.Reason));
    }

    [Theory]
    // The four: each answered OK once, yet none could be counted.
    [InlineData("0.003", QuantityUnit.Barrels, "TOO_SMALL")]
    [InlineData("0.0004", QuantityUnit.Barrels, "TOO_SMALL")]
    [InlineData("0.000001", QuantityUnit.MetricTonnes, "TOO_SMALL")]
    [InlineData("200000000", QuantityUnit.MetricTonnes, "TOO_LARGE")]
    [InlineData("0.001", QuantityUnit.Barrels, "TOO_SMALL")]
    [InlineData("136425649", QuantityUnit.MetricTonnes, "TOO_LARGE")] // 1,000,000,007.17 bbl
    public void A_quantity_that_converts_outside_the_limits_is_refused(string value, QuantityUnit unit, string reason)
    {
        var violation = ShipmentRules.Converted(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), unit, Limits.DefaultBarrelsPerTonne);

        Assert.NotNull(violation);
        Assert.Equal(reason, violation.Reason);
        Assert.Equal(unit == QuantityUnit.Barrels ? SnapshotField.Tonnes : SnapshotField.Barrels, violation.Field);
    }

    [Theory]
    [InlineData("0.004", QuantityUnit.Barrels)]   // 0.000546 t rounds to 0.001 t
    [InlineData("0.001", QuantityUnit.MetricTonnes)]
    [InlineData("136425648", QuantityUnit.MetricTonnes)] // 999,999,999.84 bbl
    [InlineData("1000000000", QuantityUnit.Barrels)]
    public void The_smallest_and_largest_countable_quantities_pass(string value, QuantityUnit unit)
    {
        Assert.Null(ShipmentRules.Converted(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), unit, Limits.DefaultBarrelsPerTonne));
    }

    [Fact]
    public void A_snapshot_carrying_the_converted_quantity_exactly_is_countable_at_the_limits()
    {
        var (barrels, tonnes) = Quantities.Normalise(Limits.MaxQuantity, QuantityUnit.Barrels, 7.33m);
        var atLimits = Snapshots.Valid() with
        {
            QuantityValue = Limits.MaxQuantity, QuantityUnit = QuantityUnit.Barrels, BarrelsPerTonne = 7.33m,
            Barrels = barrels, Tonnes = tonnes, ValueUsd = Limits.MaxValueUsd,
        };

        Assert.Empty(ShipmentRules.Check(atLimits));
    }

    [Fact]
    public void A_cancellation_is_countable_whatever_the_figures_it_withdraws()
    {
        // Recorded under older rules (0.0004 bbl), it must still be cancellable: a cancelled snapshot contributes nothing.
        var legacy = Snapshots.Valid() with { QuantityValue = 0.0004m, QuantityUnit = QuantityUnit.Barrels, Barrels = 0m, Tonnes = 0m, State = ShipmentState.Cancelled };

        Assert.Empty(ShipmentRules.Check(legacy));
        Assert.NotEmpty(ShipmentRules.Check(legacy with { State = ShipmentState.Active }));
    }

    [Theory]
    [InlineData('\u0000')]
    [InlineData('\u0009')]
    [InlineData('\u001f')]
    [InlineData('\u007f')]
    [InlineData('\u0080')]
    [InlineData('\u009f')]
    public void Every_control_character_is_refused_in_text(char control)
    {
        Assert.True(ShipmentRules.HasControlCharacters($"So{control}car"));
        Assert.Equal("INVALID_CHARACTERS", ShipmentRules.Text(SnapshotField.Shipper, $"So{control}car", required: true)?.Reason);
    }

    [Fact]
    public void Printable_text_in_any_script_is_accepted()
    {
        Assert.Null(ShipmentRules.Text(SnapshotField.Shipper, "ГНКАР · SOCAR · 阿塞拜疆 · ☂", required: true));
        Assert.False(ShipmentRules.HasControlCharacters("\u00a0\u2028\ufffd"));
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var bad = Snapshots.Valid() with
        {
            ShipmentId = Guid.Empty,
            Version = 0,
            ExporterCountry = "XX",
            ImporterCountry = "XX",
            Tonnes = -5m,
            ValueUsd = -1m,
        };

        Assert.Equal(
            [
                (SnapshotField.ShipmentId, "REQUIRED"),
                (SnapshotField.Version, "OUT_OF_RANGE"),
                (SnapshotField.ExporterCountry, "UNKNOWN_COUNTRY"),
                (SnapshotField.ImporterCountry, "UNKNOWN_COUNTRY"),
                (SnapshotField.Tonnes, "INCONSISTENT"),
                (SnapshotField.ValueUsd, "NEGATIVE"),
            ],
            ShipmentRules.Check(bad).Select(v => (v.Field, v.Reason)));
    }
}
