using EnergyTrade.Trade.Totals;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class DeltaPlanTests
{
    private static TotalsKey Key(string origin, int month, string exporter = "AZ", string importer = "BY") =>
        new(exporter, importer, origin, new DateOnly(2020, month, 1), null, null);

    private static Contribution Urals(decimal tonnes, int month = 3, decimal? value = null) =>
        new(Key("RU", month), tonnes * 7.25m, tonnes, value);

    [Fact]
    public void A_new_shipment_adds_its_figures_and_one_to_the_count()
    {
        var plan = new DeltaPlan();

        plan.Replace(null, Urals(80_000m, value: 1_000_000.50m));

        var delta = Assert.Single(plan.Deltas());
        Assert.Equal(new TotalsDelta(Key("RU", 3), 1, 580_000m, 80_000m, 1_000_000.50m, 1, 580_000m), delta);
    }

    [Fact]
    public void Replacing_80_kt_by_85_kt_moves_tonnes_by_exactly_5000_and_count_by_0()
    {
        var plan = new DeltaPlan();

        plan.Replace(Urals(80_000.000m), Urals(85_000.000m));

        var delta = Assert.Single(plan.Deltas());
        Assert.Equal(Key("RU", 3), delta.Key);
        Assert.Equal(0, delta.ShipmentCount);
        Assert.Equal(5_000m, delta.Tonnes);
        Assert.Equal(36_250m, delta.Barrels);
        Assert.Equal(0m, delta.ValueUsd);
        Assert.Equal(0, delta.ValuedShipmentCount);
    }

    [Fact]
    public void Moving_a_shipment_to_another_month_withdraws_from_the_old_row_and_adds_to_the_new()
    {
        var plan = new DeltaPlan();

        plan.Replace(Urals(80_000m, month: 3, value: 100m), Urals(80_000m, month: 4, value: 100m));

        Assert.Equal(
            new[]
            {
                new TotalsDelta(Key("RU", 3), -1, -580_000m, -80_000m, -100m, -1, -580_000m),
                new TotalsDelta(Key("RU", 4), 1, 580_000m, 80_000m, 100m, 1, 580_000m),
            },
            plan.Deltas());
    }

    [Fact]
    public void Moving_a_shipment_to_another_origin_withdraws_from_the_old_row_and_adds_to_the_new()
    {
        var plan = new DeltaPlan();
        var asRussian = new Contribution(Key("RU", 3), 580_000m, 80_000m, null);
        var asKazakh = new Contribution(Key("KZ", 3), 580_000m, 80_000m, null);

        plan.Replace(asRussian, asKazakh);

        Assert.Equal(
            new[]
            {
                new TotalsDelta(Key("KZ", 3), 1, 580_000m, 80_000m, 0m, 0, 0m),
                new TotalsDelta(Key("RU", 3), -1, -580_000m, -80_000m, 0m, 0, 0m),
            },
            plan.Deltas());
    }

    [Fact]
    public void Cancelling_withdraws_exactly_what_the_shipment_contributed()
    {
        var plan = new DeltaPlan();

        plan.Replace(Urals(80_000.123m, value: 52.60m), null);

        var delta = Assert.Single(plan.Deltas());
        Assert.Equal(new TotalsDelta(Key("RU", 3), -1, -580_000.89175m, -80_000.123m, -52.60m, -1, -580_000.89175m), delta);
    }

    [Fact]
    public void Create_then_cancel_in_one_batch_cancels_out()
    {
        var plan = new DeltaPlan();
        var cargo = Urals(80_000m, value: 10m);

        plan.Replace(null, cargo);
        plan.Replace(cargo, null);

        Assert.Empty(plan.Deltas());
    }

    [Fact]
    public void Only_valued_shipments_count_as_valued()
    {
        var plan = new DeltaPlan();

        plan.Replace(null, Urals(1_000m, value: 250_000m));
        plan.Replace(null, Urals(2_000m));
        plan.Replace(null, Urals(3_000m, value: 0m));

        var delta = Assert.Single(plan.Deltas());
        Assert.Equal(3, delta.ShipmentCount);
        Assert.Equal(2, delta.ValuedShipmentCount);
        Assert.Equal(250_000m, delta.ValueUsd);
        Assert.Equal(6_000m, delta.Tonnes);
    }

    [Fact]
    public void Removing_a_value_keeps_the_count_but_drops_the_valued_count()
    {
        var plan = new DeltaPlan();

        plan.Replace(Urals(80_000m, value: 1_234.56m), Urals(80_000m));

        var delta = Assert.Single(plan.Deltas());
        Assert.Equal(new TotalsDelta(Key("RU", 3), 0, 0m, 0m, -1_234.56m, -1, -580_000m), delta);
    }

    [Fact]
    public void Adding_a_value_keeps_the_count_but_raises_the_valued_count()
    {
        var plan = new DeltaPlan();

        plan.Replace(Urals(80_000m), Urals(80_000m, value: 1_234.56m));

        var delta = Assert.Single(plan.Deltas());
        Assert.Equal(new TotalsDelta(Key("RU", 3), 0, 0m, 0m, 1_234.56m, 1, 580_000m), delta);
    }

    [Fact]
    public void An_unchanged_contribution_produces_no_delta()
    {
        var plan = new DeltaPlan();
        var cargo = Urals(80_000m, value: 5m);

        plan.Replace(cargo, cargo with { });
        plan.Replace(null, null);

        Assert.Empty(plan.Deltas());
    }

    [Fact]
    public void A_change_only_of_scale_is_no_change()
    {
        var plan = new DeltaPlan();

        plan.Replace(new Contribution(Key("RU", 3), 580_000m, 80_000m, 1m), new Contribution(Key("RU", 3), 580_000.000m, 80_000.000m, 1.00m));

        Assert.Empty(plan.Deltas());
    }

    [Fact]
    public void Zero_deltas_are_dropped_while_others_remain()
    {
        var plan = new DeltaPlan();
        var unchanged = Urals(80_000m, month: 1);

        plan.Replace(unchanged, unchanged);
        plan.Replace(null, Urals(1_000m, month: 2));

        var delta = Assert.Single(plan.Deltas());
        Assert.Equal(Key("RU", 2), delta.Key);
    }

    [Fact]
    public void Many_shipments_on_one_row_collapse_to_one_delta()
    {
        var plan = new DeltaPlan();

        for (var i = 0; i < 10; i++) plan.Replace(null, Urals(0.1m));

        var delta = Assert.Single(plan.Deltas());
        Assert.Equal(10, delta.ShipmentCount);
        Assert.Equal(1.0m, delta.Tonnes);
        Assert.Equal(7.25m, delta.Barrels);
    }

    [Fact]
    public void Deltas_come_out_in_totals_key_order()
    {
        var plan = new DeltaPlan();
        TotalsKey[] keys =
        [
            Key("RU", 4, exporter: "KZ"),
            Key("RU", 4),
            Key("AZ", 2, importer: "GE"),
            Key("RU", 3),
            Key("AZ", 12),
            Key("AZ", 1),
            Key("KZ", 2),
        ];
        foreach (var key in keys) plan.Replace(null, new Contribution(key, 1m, 1m, null));

        Assert.Equal(
            new[]
            {
                Key("AZ", 1),
                Key("AZ", 12),
                Key("KZ", 2),
                Key("RU", 3),
                Key("RU", 4),
                Key("AZ", 2, importer: "GE"),
                Key("RU", 4, exporter: "KZ"),
            },
            plan.Deltas().Select(d => d.Key));
    }

    [Fact]
    public void Total_order_compares_exporter_then_importer_then_origin_then_month()
    {
        var early = new TotalsKey("AZ", "BY", "RU", new DateOnly(2020, 12, 1), null, null);

        Assert.True(early.CompareTo(new TotalsKey("BY", "AZ", "AZ", new DateOnly(2020, 1, 1), null, null)) < 0);
        Assert.True(early.CompareTo(new TotalsKey("AZ", "GE", "AZ", new DateOnly(2020, 1, 1), null, null)) < 0);
        Assert.True(early.CompareTo(new TotalsKey("AZ", "BY", "TR", new DateOnly(2020, 1, 1), null, null)) < 0);
        Assert.True(early.CompareTo(new TotalsKey("AZ", "BY", "RU", new DateOnly(2021, 1, 1), null, null)) < 0);
        Assert.Equal(0, early.CompareTo(new TotalsKey("AZ", "BY", "RU", new DateOnly(2020, 12, 1), null, null)));
        Assert.True(new TotalsKey("AZ", "BY", "RU", new DateOnly(2021, 1, 1), null, null).CompareTo(early) > 0);
    }
}
