using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// What every bilateral answer is asked for: a validated pair, an inclusive month range and the
/// basis (never UNSPECIFIED here: that has already become COMMERCIAL).
/// </summary>
public sealed record PairQuery(string Country, string Partner, MonthRange Range, V1.Basis Basis)
{
    public bool ByOrigin => Basis == V1.Basis.Origin;

    /// <summary>The partner imports what the country exports; the country imports the rest.</summary>
    public FlowDirection DirectionOf(string importer) => importer == Partner ? FlowDirection.Exports : FlowDirection.Imports;
}
