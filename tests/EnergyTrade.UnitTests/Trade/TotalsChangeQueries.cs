using EnergyTrade.Trade.Api;
using EnergyTrade.Trade.Totals;
using EnergyTrade.Types.V1;

namespace EnergyTrade.UnitTests.Trade;

/// <summary>Whether a change touches a pair's totals, asked the way TotalsWatch and TotalsCache ask it: through PairQuery.</summary>
internal static class TotalsChangeQueries
{
    public static bool Touches(this TotalsChange change, string country, string partner, Basis basis, DateOnly? first = null, DateOnly? last = null)
    {
        var q = new PairQuery(country, partner, new MonthRange(first, last), basis);
        return change.Touches(q.Concerns, q.MayChangeIn);
    }
}
