using CsCheck;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// A generator that also yields the seed its value was generated from — the string CsCheck prints for
/// a failure and takes back as <c>seed:</c> — so every run, passing or not, can be replayed on its own.
/// </summary>
public sealed class Seeded<T>(Gen<T> inner) : Gen<(string Seed, T Value)>
{
    public override (string Seed, T Value) Generate(PCG pcg, Size? min, out Size size)
    {
        var seed = pcg.ToString(pcg.State);
        return (seed, inner.Generate(pcg, min, out size));
    }
}
