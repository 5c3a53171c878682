namespace EnergyTrade.Contracts;

/// <summary>
/// The bounds of a countable shipment, shared by the API that accepts it and the consumer that
/// counts it. They keep every figure inside its column (numeric(19,3) per shipment, numeric(24,3)
/// in the totals) and inside google.type.Money, so nothing the API accepts can fail downstream.
/// </summary>
public static class Limits
{
    /// <summary>Far above any real cargo or monthly pipeline flow (a VLCC carries ~2 M bbl); applies to the quantity as given and to both barrels and tonnes after conversion.</summary>
    public const decimal MaxQuantity = 1_000_000_000m;
    /// <summary>The smallest quantity a shipment may have in barrels and in tonnes after conversion: the unit of the normalised scale.</summary>
    public const decimal MinQuantity = 0.001m;
    public const decimal MaxValueUsd = 1_000_000_000_000m;
    /// <summary>
    /// The factor for a quantity that gives none and whose grade the catalogue does not know
    /// (<see cref="Grades.GradeCatalogue.StandardFactor"/>): average crude, as the Energy Institute's
    /// Statistical Review of World Energy converts it.
    /// </summary>
    public const decimal DefaultBarrelsPerTonne = 7.33m;
    public const decimal MinBarrelsPerTonne = 5m;
    public const decimal MaxBarrelsPerTonne = 10m;
    /// <summary>Decimal places accepted in a quantity or a conversion factor as given.</summary>
    public const int InputScale = 6;
    /// <summary>Decimal places of normalised barrels and tonnes.</summary>
    public const int NormalisedScale = 3;
    /// <summary>USD has 2 minor units.</summary>
    public const int MoneyScale = 2;
    /// <summary>Shipper, grade and port names.</summary>
    public const int NameLength = 128;
    public const int RequestIdLength = 128;
    public const int ReasonLength = 512;
    /// <summary>Creates in one BatchCreateShipments call or one ImportShipments chunk: ~170 KB, inside the services' 256 KiB request limit.</summary>
    public const int MaxCreatesPerBatch = 1000;
}
