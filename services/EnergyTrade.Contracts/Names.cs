using System.Text.RegularExpressions;

namespace EnergyTrade.Contracts;

/// <summary>
/// The one rule for company, grade and port names: stored trimmed, with every run of white space
/// collapsed to one space ("  Azeri   Light " is "Azeri Light"), so names typed differently by
/// different people still match. Case is kept as typed.
/// </summary>
public static partial class Names
{
    public static string Canonical(string name) => Spaces().Replace(name.Trim(), " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
