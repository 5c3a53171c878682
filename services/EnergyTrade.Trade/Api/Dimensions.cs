using EnergyTrade.Trade.Totals;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>Where each dimension is kept in bilateral_totals, and which list its names belong to.</summary>
internal static class Dimensions
{
    /// <summary>The column; never user input, so safe to put in SQL.</summary>
    public static string Column(V1.Dimension dimension) => dimension switch
    {
        V1.Dimension.Origin => "origin_country",
        V1.Dimension.Shipper => "shipper",
        V1.Dimension.Buyer => "buyer",
        V1.Dimension.Grade => "grade",
        V1.Dimension.LoadPort => "load_port",
        V1.Dimension.DischargePort => "discharge_port",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a dimension"),
    };

    /// <summary>Null for the origin, a country code rather than a name.</summary>
    public static NameKind? Kind(V1.Dimension dimension) => dimension switch
    {
        V1.Dimension.Shipper or V1.Dimension.Buyer => NameKind.Company,
        V1.Dimension.Grade => NameKind.Grade,
        V1.Dimension.LoadPort or V1.Dimension.DischargePort => NameKind.Port,
        _ => null,
    };

    /// <summary>The request field that filters by the dimension.</summary>
    public static string Field(V1.Dimension dimension) => dimension switch
    {
        V1.Dimension.Shipper => "shipper",
        V1.Dimension.Buyer => "buyer",
        V1.Dimension.Grade => "grade",
        V1.Dimension.LoadPort => "load_port",
        V1.Dimension.DischargePort => "discharge_port",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "no filter"),
    };
}
