namespace EnergyTrade.Contracts;

/// <summary>Barrel/tonne normalisation: exact decimal arithmetic, rounded half-even to 3 places.</summary>
public static class Quantities
{
    public const int Scale = Limits.NormalisedScale;

    public static (decimal Barrels, decimal Tonnes) Normalise(decimal value, QuantityUnit unit, decimal barrelsPerTonne) => unit switch
    {
        QuantityUnit.Barrels => (Round(value), Round(value / barrelsPerTonne)),
        QuantityUnit.MetricTonnes => (Round(value * barrelsPerTonne), Round(value)),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown unit."),
    };

    /// <summary>Rounds half-even and always carries exactly 3 places, as numeric(19,3) stores it, so "633250.000" reads the same before and after a round trip.</summary>
    private static decimal Round(decimal value) => Math.Round(value, Scale, MidpointRounding.ToEven) + 0.000m;
}
