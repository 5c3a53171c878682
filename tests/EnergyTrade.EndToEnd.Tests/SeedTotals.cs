using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using static EnergyTrade.EndToEnd.Tests.Proto;

namespace EnergyTrade.EndToEnd.Tests;

/// <summary>The seed article's figures in Trade's totals: SOCAR's cargoes to Belarus in Jan–Apr 2020.</summary>
internal static class SeedTotals
{
    /// <summary>GetBilateralTotals for the seed's months, AZ→BY unless told otherwise.</summary>
    public static GetBilateralTotalsRequest AzBy(string country = "AZ", string partner = "BY") => new()
    {
        Country = country,
        Partner = partner,
        FirstMonth = Month(2020, 1),
        LastMonth = Month(2020, 4),
    };

    /// <summary>AZ→BY once Trade counts five cargoes more than <paramref name="before"/>: the seed's.</summary>
    public static Task<BilateralTotals> SeedCountedAsync(TradeService.TradeServiceClient trade, BilateralTotals before) => Eventually.MatchAsync(
        () => trade.GetBilateralTotalsAsync(AzBy(), Deadline()).ResponseAsync,
        t => t.Exports.ShipmentCount == before.Exports.ShipmentCount + 5,
        TimeSpan.FromSeconds(30), "Trade to count the five seed cargoes");

    /// <summary>
    /// <paramref name="after"/> holds the five seed cargoes more than <paramref name="before"/>: 3.83 M bbl,
    /// 2.05 M of them Azerbaijani oil and 1.78 M other.
    /// </summary>
    public static void AssertSeedAdded(BilateralTotals before, BilateralTotals after)
    {
        Assert.Equal(Dec(before.Exports.Barrels) + SeedShipments.TotalBarrels, Dec(after.Exports.Barrels));
        Assert.Equal(Origin(before, "AZ") + SeedShipments.AzerbaijaniBarrels, Origin(after, "AZ"));
        var nonAz = after.Exports.ByOrigin.Where(o => o.OriginCountry != "AZ").Sum(o => Dec(o.Barrels))
            - before.Exports.ByOrigin.Where(o => o.OriginCountry != "AZ").Sum(o => Dec(o.Barrels));
        Assert.Equal(SeedShipments.NonAzerbaijaniBarrels, nonAz);
    }

    /// <summary>On a system that held nothing before: the seed's figures and nothing else, tonnes included.</summary>
    public static void AssertExactlyTheSeed(BilateralTotals after)
    {
        Assert.Equal(3_830_000m, Dec(after.Exports.Barrels));
        Assert.Equal(["AZ", "KZ", "RU"], after.Exports.ByOrigin.Select(o => o.OriginCountry));
        Assert.Equal(2_050_000m, Dec(after.Exports.ByOrigin[0].Barrels));
        Assert.Equal(1_200_000m, Dec(after.Exports.ByOrigin[1].Barrels));
        Assert.Equal(580_000m, Dec(after.Exports.ByOrigin[2].Barrels));
        // The two barrel lots give no factor, so their grades' standard factors convert them (docs/grades.md):
        // Azeri Light 700,000 / 7.40 = 94,594.595 t (half-even), + 90,000 + 90,000; CPC Blend 1,200,000 / 7.87
        // = 152,477.764; RU 80,000. (At the 7.33 used for every grade before the catalogue: 519,208.732 t.)
        Assert.Equal(94_594.595m + 180_000m + 152_477.764m + 80_000m, Dec(after.Exports.Tonnes));
        Assert.Equal(0, after.Imports.ShipmentCount);
        Assert.Equal("AZ", after.Country);
        Assert.Equal(2020, after.FirstMonth.Year);
        Assert.Equal(4, after.LastMonth.Month);
        Assert.NotNull(after.UpdateTime);
    }

    private static decimal Origin(BilateralTotals totals, string code) =>
        Dec(totals.Exports.ByOrigin.FirstOrDefault(o => o.OriginCountry == code)?.Barrels);
}
