using V1 = EnergyTrade.Trade.V1;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// What every bilateral answer is asked for: a validated pair, an inclusive month range and the
/// basis (never UNSPECIFIED here: that has already become COMMERCIAL).
/// </summary>
public sealed record PairQuery(string Country, string Partner, MonthRange Range, Basis Basis)
{
    public bool ByOrigin => Basis == Basis.Origin;

    /// <summary>The partner imports what the country exports; the country imports the rest.</summary>
    public FlowDirection DirectionOf(string importer) => importer == Partner ? FlowDirection.Exports : FlowDirection.Imports;
}
