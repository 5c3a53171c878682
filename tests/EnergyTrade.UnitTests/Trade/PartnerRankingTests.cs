using System.Globalization;
using EnergyTrade.Trade.Api;
using OrderBy = EnergyTrade.Trade.V1.ListPartnersRequest.Types.OrderBy;

namespace EnergyTrade.UnitTests.Trade;

[Trait("Category", "Unit")]
public sealed class PartnerRankingTests
{
    private static PartnerFlowSums Flow(string partner, FlowDirection direction, decimal barrels, decimal value, long count = 1, string origin = "AZ") =>
        new(partner, new FlowSums(direction, origin, GroupKeys.None, count, barrels, barrels / 7.5m, value, count, barrels, DateTimeOffset.UnixEpoch));

    [Fact]
    public void Partners_are_ranked_by_turnover_value_both_directions_together()
    {
        var ranked = PartnerRanking.Rank(
        [
            Flow("IT", FlowDirection.Exports, 1_000_000m, 60_000_000m),
            Flow("BY", FlowDirection.Exports, 3_830_000m, 3_300_000m),
            Flow("BY", FlowDirection.Imports, 400_000m, 55_900_000m, origin: "BY"),
            Flow("DE", FlowDirection.Imports, 10m, 100_000_000m, origin: "DE"),
        ], OrderBy.TurnoverValue);

        Assert.Equal(["DE", "IT", "BY"], ranked.Select(p => p.Partner));
        Assert.Equal([1, 2, 3], ranked.Select(p => p.Rank));
        var by = ranked[2];
        Assert.Equal(59_200_000m, Usd(by.Turnover));
        Assert.Equal(-52_600_000m, Usd(by.Balance));
        Assert.Equal(4_230_000m, D(by.TurnoverBarrels));
        Assert.Equal(3_830_000m, D(by.Exports.Barrels));
        Assert.Equal(400_000m, D(by.Imports.Barrels));
        Assert.Equal("BY", Assert.Single(by.Imports.ByOrigin).OriginCountry);
    }

    [Fact]
    public void Ordering_by_barrels_ranks_by_turnover_barrels()
    {
        var ranked = PartnerRanking.Rank(
        [
            Flow("IT", FlowDirection.Exports, 1_000_000m, 60_000_000m),
            Flow("BY", FlowDirection.Exports, 3_830_000m, 3_300_000m),
            Flow("BY", FlowDirection.Imports, 400_000m, 55_900_000m),
            Flow("DE", FlowDirection.Imports, 10m, 100_000_000m),
        ], OrderBy.Barrels);

        Assert.Equal(["BY", "IT", "DE"], ranked.Select(p => p.Partner));
    }

    [Theory]
    [InlineData(OrderBy.TurnoverValue)]
    [InlineData(OrderBy.Barrels)]
    public void Ties_are_broken_by_partner_code(OrderBy orderBy)
    {
        var ranked = PartnerRanking.Rank(
        [
            Flow("IT", FlowDirection.Exports, 500m, 1_000m),
            Flow("GR", FlowDirection.Exports, 900m, 9_000m),
            Flow("IL", FlowDirection.Imports, 500m, 1_000m),
            Flow("ES", FlowDirection.Exports, 200m, 400m),
            Flow("ES", FlowDirection.Imports, 300m, 600m),
        ], orderBy);

        Assert.Equal(["GR", "ES", "IL", "IT"], ranked.Select(p => p.Partner));
        Assert.Equal([1, 2, 3, 4], ranked.Select(p => p.Rank));
    }

    [Fact]
    public void A_partner_whose_shipments_were_all_cancelled_is_not_listed()
    {
        var ranked = PartnerRanking.Rank(
        [
            Flow("GR", FlowDirection.Exports, 0m, 0m, count: 0),
            Flow("IT", FlowDirection.Exports, 1m, 0m),
        ], OrderBy.TurnoverValue);

        Assert.Equal(["IT"], ranked.Select(p => p.Partner));
    }

    [Fact]
    public void A_one_way_partner_has_zero_totals_the_other_way()
    {
        var ranked = PartnerRanking.Rank([Flow("IT", FlowDirection.Exports, 1_000m, 50_000m)], OrderBy.TurnoverValue);

        var it = Assert.Single(ranked);
        Assert.Equal(0, it.Imports.ShipmentCount);
        Assert.Equal(0m, D(it.Imports.Barrels));
        Assert.Empty(it.Imports.ByOrigin);
        Assert.Equal(50_000m, Usd(it.Balance));
    }

    [Fact]
    public void No_partners_gives_an_empty_ranking()
    {
        Assert.Empty(PartnerRanking.Rank([], OrderBy.Barrels));
    }

    private static decimal D(Google.Type.Decimal d) => decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static decimal Usd(Google.Type.Money m) => m.Units + m.Nanos / 1_000_000_000m;
}
