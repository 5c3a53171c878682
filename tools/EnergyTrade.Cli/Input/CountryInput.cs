namespace EnergyTrade.Cli.Input;

public static class CountryInput
{
    /// <summary>
    /// Upper-cases ISO 3166-1 alpha-2 codes so "az" works; whether the code exists is the
    /// service's call (it keeps the list), so nothing else is checked here.
    /// </summary>
    public static string Normalize(string? code) => (code ?? "").Trim().ToUpperInvariant();
}
