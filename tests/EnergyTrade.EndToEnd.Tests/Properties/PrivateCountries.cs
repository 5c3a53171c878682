namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// Countries no other test uses, so the suite can run beside them on one stack and still know every
/// shipment between these countries is its own.
/// </summary>
public static class PrivateCountries
{
    /// <summary>Exporters and importers: Tuvalu, Kiribati, Samoa, Palau, Micronesia, Marshall Islands.</summary>
    public static readonly string[] Traders = ["TV", "KI", "WS", "PW", "FM", "MH"];

    /// <summary>Where the oil came from: the traders, Vanuatu (private too) and Azerbaijan, a country other tests use as an exporter but never as an importer of these.</summary>
    public static readonly string[] Origins = [.. Traders, "VU", "AZ"];

    /// <summary>Codes that look like countries and are not officially assigned ISO 3166-1 alpha-2 codes.</summary>
    public static readonly string[] Unassigned = ["EU", "UK", "XK", "ZZ", "AA", "QQ", "XX", "EZ"];

    public static bool IsKnownValid(string code) => Origins.Contains(code, StringComparer.Ordinal);

    /// <summary>Every unordered pair a totals check may ask about, on each basis.</summary>
    public static IEnumerable<(string Country, string Partner, bool OriginBasis)> Pairs()
    {
        for (var i = 0; i < Traders.Length; i++)
        {
            for (var j = i + 1; j < Traders.Length; j++) yield return (Traders[i], Traders[j], false);
        }
        for (var i = 0; i < Origins.Length; i++)
        {
            for (var j = i + 1; j < Origins.Length; j++)
            {
                // An origin pair is ours when one side imports: only traders import.
                if (Traders.Contains(Origins[i]) || Traders.Contains(Origins[j])) yield return (Origins[i], Origins[j], true);
            }
        }
    }
}
