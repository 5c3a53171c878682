using System.Text.RegularExpressions;

namespace EnergyTrade.Contracts;

/// <summary>
/// The one rule for company, grade and port names: stored trimmed, with every run of white space
/// collapsed to one space ("  Azeri   Light " is "Azeri Light"), so names typed differently by
/// different people still match. Case is kept as typed, and ignored when names are compared.
/// </summary>
public static partial class Names
{
    public static string Canonical(string name) => Spaces().Replace(name.Trim(), " ");

    /// <summary>
    /// What names are compared by: the canonical form in lower case (invariant culture), so "SOCAR",
    /// "Socar" and " socar " are one company.
    /// </summary>
    public static string Key(string name) => Canonical(name).ToLowerInvariant();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
