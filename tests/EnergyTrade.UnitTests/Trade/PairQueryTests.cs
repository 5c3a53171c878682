using EnergyTrade.Trade.Api;
using EnergyTrade.Trade.Partners;
using EnergyTrade.Trade.Totals;
using EnergyTrade.Types.V1;
using Microsoft.Extensions.Configuration;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.UnitTests.Trade;

/// <summary>Which changes an answer must be re-read for: the cache drops, and watches wake, by these two questions.</summary>
[Trait("Category", "Unit")]
public sealed class PairQueryTests
{
    private static readonly PartnerGroups Groups = PartnerGroups.Load(new ConfigurationBuilder().Build());

    private static PairQuery Query(string partner, Basis basis = Basis.Commercial, V1.PeriodBasis period = V1.PeriodBasis.Loading) =>
        new("BY", partner, new MonthRange(new DateOnly(2020, 3, 1), new DateOnly(2020, 4, 1)), basis)
        {
            Period = period,
            Partners = Groups.TryGet(partner, out var set) ? set : null,
        };

    [Fact]
    public void A_world_answer_is_concerned_by_every_flow_into_or_out_of_the_country_and_no_other()
    {
        var world = Query("WORLD");

        Assert.True(world.Concerns(new TotalsFlow("AZ", "BY", "KZ")));
        Assert.True(world.Concerns(new TotalsFlow("BY", "PL", "RU")));
        Assert.False(world.Concerns(new TotalsFlow("AZ", "IT", "AZ")));
        Assert.True(Query("WORLD", Basis.Origin).Concerns(new TotalsFlow("AZ", "BY", "")));
    }

    [Fact]
    public void A_group_answer_is_concerned_only_by_flows_with_countries_that_were_ever_members()
    {
        var opec = Query("OPEC");

        Assert.True(opec.Concerns(new TotalsFlow("QA", "BY", "QA")));
        Assert.False(opec.Concerns(new TotalsFlow("AZ", "BY", "AZ")));
        Assert.True(Query("OPEC", Basis.Origin).Concerns(new TotalsFlow("AZ", "BY", "IQ")));
    }

    [Fact]
    public void On_the_delivery_basis_any_month_up_to_the_end_matters_as_cargo_in_transit_reaches_back()
    {
        var loading = Query("AZ");
        var delivery = Query("AZ", period: V1.PeriodBasis.Delivery);

        Assert.False(loading.MayChangeIn(new DateOnly(2019, 12, 1)));
        Assert.True(delivery.MayChangeIn(new DateOnly(2019, 12, 1)));
        Assert.True(delivery.MayChangeIn(new DateOnly(2020, 4, 1)));
        Assert.False(delivery.MayChangeIn(new DateOnly(2020, 5, 1)));
    }
}
