using EnergyTrade.Contracts;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class SnapshotProblemsTests
{
    [Fact]
    public void A_good_snapshot_has_no_problems()
    {
        Assert.Empty(Snapshots.Valid().Problems());
        Assert.Empty((Snapshots.Valid() with { ValueUsd = 0m, State = ShipmentState.Cancelled }).Problems());
    }

    public static TheoryData<string, Func<ShipmentSnapshot, ShipmentSnapshot>> BadSnapshots => new()
    {
        { "ShipmentId is empty", s => s with { ShipmentId = Guid.Empty } },
        { "Version 0 is below 1", s => s with { Version = 0 } },
        { "Version -3 is below 1", s => s with { Version = -3 } },
        { "State 0 is unknown", s => s with { State = 0 } },
        { "State 7 is unknown", s => s with { State = (ShipmentState)7 } },
        { "QuantityUnit 0 is unknown", s => s with { QuantityUnit = 0 } },
        { "ExporterCountry 'EU' is not an assigned ISO 3166-1 alpha-2 code", s => s with { ExporterCountry = "EU" } },
        { "ImporterCountry 'by' is not an assigned ISO 3166-1 alpha-2 code", s => s with { ImporterCountry = "by" } },
        { "OriginCountry '' is not an assigned ISO 3166-1 alpha-2 code", s => s with { OriginCountry = "" } },
        { "ExporterCountry equals ImporterCountry", s => s with { ImporterCountry = "AZ" } },
        { "QuantityValue 0 is not positive", s => s with { QuantityValue = 0m } },
        { "Barrels -1 is not positive", s => s with { Barrels = -1m } },
        { "Tonnes 0 is not positive", s => s with { Tonnes = 0m } },
        { "ValueUsd -0.01 is negative", s => s with { ValueUsd = -0.01m } },
        { "quantity exceeds the largest accepted", s => s with { Barrels = 1_000_000_000.001m } },
        { "quantity exceeds the largest accepted", s => s with { Tonnes = 1_000_000_001m } },
        { "ValueUsd exceeds the largest accepted", s => s with { ValueUsd = 1_000_000_000_000.01m } },
    };

    [Theory]
    [MemberData(nameof(BadSnapshots))]
    public void Each_bad_field_is_reported(string expected, Func<ShipmentSnapshot, ShipmentSnapshot> spoil)
    {
        Assert.Equal(expected, Assert.Single(spoil(Snapshots.Valid()).Problems()));
    }

    [Fact]
    public void Limits_themselves_are_accepted()
    {
        var atLimits = Snapshots.Valid() with { Barrels = Limits.MaxQuantity, Tonnes = Limits.MaxQuantity, ValueUsd = Limits.MaxValueUsd };

        Assert.Empty(atLimits.Problems());
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
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
            new[]
            {
                "ShipmentId is empty",
                "Version 0 is below 1",
                "ExporterCountry 'XX' is not an assigned ISO 3166-1 alpha-2 code",
                "ImporterCountry 'XX' is not an assigned ISO 3166-1 alpha-2 code",
                "ExporterCountry equals ImporterCountry",
                "Tonnes -5 is not positive",
                "ValueUsd -1 is negative",
            },
            bad.Problems());
    }
}
