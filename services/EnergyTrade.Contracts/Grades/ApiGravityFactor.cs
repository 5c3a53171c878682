namespace EnergyTrade.Contracts.Grades;

/// <summary>
/// A grade's standard barrels per metric tonne, derived from its API gravity: the one place the
/// conversion is stated. Specific gravity 60/60 °F = 141.5 / (API + 131.5); a tonne is
/// 1 / (SG × 0.999016 t/m³ × 0.158987294928 m³/bbl) barrels, rounded half-even to 2 places.
/// </summary>
public static class ApiGravityFactor
{
    /// <summary>Water at 60 °F, in tonnes per cubic metre (API MPMS 11.1): what turns a specific gravity into a density.</summary>
    public const decimal WaterDensityAt60F = 0.999016m;

    /// <summary>One US barrel of 42 US gallons, exactly.</summary>
    public const decimal CubicMetresPerBarrel = 0.158987294928m;

    /// <summary>Standard factors are quoted to a hundredth of a barrel; a shipment's own factor may carry more.</summary>
    public const int Scale = 2;

    public static decimal SpecificGravity(decimal apiGravity) => 141.5m / Offset(apiGravity);

    public static decimal BarrelsPerTonne(decimal apiGravity)
    {
        // A barrel of water at 60 °F weighs ρw × V tonnes. 1 / (141.5 / (API + 131.5) × ρw × V) is
        // (API + 131.5) / (141.5 × ρw × V), whose divisor is an exact product: the one division is
        // the only inexact step before the rounding.
        const decimal tonnesPerBarrelOfWater = WaterDensityAt60F * CubicMetresPerBarrel;
        return Math.Round(Offset(apiGravity) / (141.5m * tonnesPerBarrelOfWater), Scale, MidpointRounding.ToEven);
    }

    private static decimal Offset(decimal apiGravity)
    {
        // At -131.5 the formula divides by zero; below it the density would be negative.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(apiGravity, -131.5m);
        return apiGravity + 131.5m;
    }
}
