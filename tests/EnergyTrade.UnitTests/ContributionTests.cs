using EnergyTrade.Contracts;
using EnergyTrade.Trade.Totals;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class ContributionTests
{
    [Fact]
    public void An_active_shipment_contributes_its_figures_to_its_load_month()
    {
        var snapshot = Snapshots.Valid() with { ValueUsd = 42_000_000.25m };

        var contribution = Contribution.Of(snapshot);

        Assert.Equal(
            new Contribution(new TotalsKey("AZ", "BY", "RU", new DateOnly(2020, 3, 1), snapshot.DeliveryDate is { } d ? new DateOnly(d.Year, d.Month, 1) : null,
                new ShipmentNames("socar", null, "urals", snapshot.LoadPort is { } lp ? Names.Key(lp) : null, snapshot.DischargePort is { } dp ? Names.Key(dp) : null)),
                580_000m, 80_000m, 42_000_000.25m),
            contribution);
    }

    [Fact]
    public void A_cancelled_shipment_contributes_nothing()
    {
        Assert.Null(Contribution.Of(Snapshots.Valid() with { State = ShipmentState.Cancelled }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(31)]
    public void The_period_is_the_first_of_the_load_month(int day)
    {
        var snapshot = Snapshots.Valid() with { LoadDate = new DateOnly(2020, 1, day) };

        Assert.Equal(new DateOnly(2020, 1, 1), snapshot.Period);
        Assert.Equal(new DateOnly(2020, 1, 1), Contribution.Of(snapshot)!.Key.Month);
    }
}
