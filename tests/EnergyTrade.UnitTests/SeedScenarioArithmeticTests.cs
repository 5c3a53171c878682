using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Api;
using EnergyTrade.Shipments.Data;
using EnergyTrade.Trade.Totals;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.UnitTests;

/// <summary>
/// The seed article's figures (SOCAR → Belarus, Jan–Apr 2020: 2.05 M bbl Azerbaijani, 1.78 M other,
/// 3.83 M in all) taken from the proto a client sends, through validation, normalisation and the
/// totals arithmetic, without a database or broker.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SeedScenarioArithmeticTests
{
    private static V1.Shipment Cargo(string origin, string quantity, V1.Quantity.Types.Unit unit, string? barrelsPerTonne, int month, int day, string loadPort)
    {
        var shipment = new V1.Shipment
        {
            Shipper = "SOCAR",
            ExporterCountry = "AZ",
            ImporterCountry = "BY",
            OriginCountry = origin,
            Grade = "crude",
            Quantity = new V1.Quantity { Value = Proto.Dec(quantity), Unit = unit },
            LoadDate = Proto.Date(2020, month, day),
            LoadPort = loadPort,
        };
        if (barrelsPerTonne is not null) shipment.Quantity.BarrelsPerTonne = Proto.Dec(barrelsPerTonne);
        return shipment;
    }

    private static readonly V1.Shipment[] Seed =
    [
        Cargo("AZ", "700000", V1.Quantity.Types.Unit.Barrels, null, 1, 20, "Supsa"),
        Cargo("KZ", "1200000", V1.Quantity.Types.Unit.Barrels, null, 2, 14, "Novorossiysk"),
        Cargo("AZ", "90000", V1.Quantity.Types.Unit.MetricTonnes, "7.5", 3, 4, "Ceyhan"),
        Cargo("RU", "80000", V1.Quantity.Types.Unit.MetricTonnes, "7.25", 3, 15, "Novorossiysk"),
        Cargo("AZ", "90000", V1.Quantity.Types.Unit.MetricTonnes, "7.5", 4, 18, "Supsa"),
    ];

    private static ShipmentSnapshot Snapshot(V1.Shipment shipment)
    {
        var violations = new FieldViolations();
        var input = ShipmentInput.Parse(shipment, "shipment.", violations);
        Assert.Empty(violations.Items);
        var (barrels, tonnes) = Quantities.Normalise(input.QuantityValue, input.QuantityUnit, input.BarrelsPerTonne);
        var now = DateTimeOffset.UnixEpoch;
        return new ShipmentSnapshot
        {
            ShipmentId = Guid.NewGuid(),
            Version = 1,
            State = ShipmentState.Active,
            Shipper = input.Shipper,
            ExporterCountry = input.ExporterCountry,
            ImporterCountry = input.ImporterCountry,
            OriginCountry = input.OriginCountry,
            Grade = input.Grade,
            QuantityValue = input.QuantityValue,
            QuantityUnit = input.QuantityUnit,
            BarrelsPerTonne = input.BarrelsPerTonne,
            Barrels = barrels,
            Tonnes = tonnes,
            ValueUsd = input.ValueUsd,
            LoadDate = input.LoadDate,
            CreateTime = now,
            UpdateTime = now,
        };
    }

    private static IReadOnlyList<TotalsDelta> Totals()
    {
        var plan = new DeltaPlan();
        foreach (var shipment in Seed)
        {
            var snapshot = Snapshot(shipment);
            Assert.Empty(snapshot.Problems());
            plan.Replace(null, Contribution.Of(snapshot));
        }
        return plan.Deltas();
    }

    [Fact]
    public void Each_cargo_normalises_to_the_expected_barrels()
    {
        Assert.Equal(
            new[] { 700_000m, 1_200_000m, 675_000m, 580_000m, 675_000m },
            Seed.Select(s => Snapshot(s).Barrels));
    }

    [Fact]
    public void Azerbaijani_oil_totals_2_050_000_barrels()
    {
        Assert.Equal(2_050_000m, Totals().Where(d => d.Key.OriginCountry == "AZ").Sum(d => d.Barrels));
    }

    [Fact]
    public void Non_azerbaijani_oil_totals_1_780_000_barrels()
    {
        Assert.Equal(1_780_000m, Totals().Where(d => d.Key.OriginCountry != "AZ").Sum(d => d.Barrels));
    }

    [Fact]
    public void All_oil_totals_3_830_000_barrels_in_5_shipments()
    {
        var totals = Totals();

        Assert.Equal(3_830_000m, totals.Sum(d => d.Barrels));
        Assert.Equal(5, totals.Sum(d => d.ShipmentCount));
        Assert.Equal(0, totals.Sum(d => d.ValuedShipmentCount));
    }

    [Fact]
    public void One_row_per_origin_and_month_in_lock_order()
    {
        Assert.Equal(
            new[]
            {
                ("AZ", new DateOnly(2020, 1, 1), 700_000m, 95_497.954m),
                ("AZ", new DateOnly(2020, 3, 1), 675_000m, 90_000m),
                ("AZ", new DateOnly(2020, 4, 1), 675_000m, 90_000m),
                ("KZ", new DateOnly(2020, 2, 1), 1_200_000m, 163_710.778m),
                ("RU", new DateOnly(2020, 3, 1), 580_000m, 80_000m),
            },
            Totals().Select(d => (d.Key.OriginCountry!, d.Key.Month, d.Barrels, d.Tonnes)));
    }

    [Fact]
    public void Correcting_the_urals_cargo_to_85_kt_adds_exactly_36_250_barrels()
    {
        var before = Snapshot(Seed[3]);
        var corrected = Seed[3].Clone();
        corrected.Quantity.Value = Proto.Dec("85000");
        var after = Snapshot(corrected) with { ShipmentId = before.ShipmentId, Version = 2 };

        var plan = new DeltaPlan();
        plan.Replace(Contribution.Of(before), Contribution.Of(after));

        var delta = Assert.Single(plan.Deltas());
        Assert.Equal(new TotalsDelta(Contribution.Of(before)!.Key, 0, 36_250m, 5_000m, 0m, 0, 0m), delta);
        Assert.Equal(("AZ", "BY", "RU", new DateOnly(2020, 3, 1)), (delta.Key.ExporterCountry, delta.Key.ImporterCountry, delta.Key.OriginCountry, delta.Key.Month));
    }
}
