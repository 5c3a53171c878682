using System.Text.RegularExpressions;
using EnergyTrade.Cli.Infrastructure;

namespace EnergyTrade.Cli.Profiles;

/// <summary>Profile names: they name files (tokens/NAME.json), so letters, digits, '.', '_' and '-' only.</summary>
public static partial class ProfileName
{
    public const string Default = "default";
    public const string Variable = "ENERGYTRADE_PROFILE";

    public static string Check(string name, string source)
    {
        if (ValidName().IsMatch(name)) return name;
        throw new UsageException($"{source} '{name}' is not a profile name: use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit).");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ValidName();
}
