namespace EnergyTrade.Contracts.Grades;

/// <summary>
/// A crude grade of the reference catalogue. Its API gravity is the stated fact (a typical figure
/// from the public assay <see cref="Source"/> names); its barrels per tonne is derived from it.
/// </summary>
public sealed record CrudeGrade(string Name, IReadOnlyList<string> Aliases, string TypicalOriginCountry, decimal ApiGravity, string Source)
{
    /// <summary>The grade's standard factor (<see cref="ApiGravityFactor.BarrelsPerTonne"/>), never stated on its own.</summary>
    public decimal BarrelsPerTonne { get; } = ApiGravityFactor.BarrelsPerTonne(ApiGravity);

    /// <summary>The name and every alias: what a shipment's grade may say to mean this one.</summary>
    public IEnumerable<string> AllNames => Aliases.Prepend(Name);
}
