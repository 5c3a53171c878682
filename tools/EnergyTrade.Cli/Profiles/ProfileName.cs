using System.Text.RegularExpressions;
using EnergyTrade.Cli.Infrastructure;

namespace EnergyTrade.Cli.Profiles;

/// <summary>
/// Profile names: they name files (tokens/NAME.json), so letters, digits, '.', '_' and '-' only, and never ending as
/// another profile's file does (tokens/NAME.client-credentials.json).
/// </summary>
public static partial class ProfileName
{
    public const string Default = "default";
    public const string Variable = "ENERGYTRADE_PROFILE";

    public static string Check(string name, string source)
    {
        if (!ValidName().IsMatch(name))
        {
            throw new UsageException($"{source} '{name}' is not a profile name: use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit).");
        }
        if (name.EndsWith(ConfigDirectory.ClientCredentialsSuffix, StringComparison.OrdinalIgnoreCase))
        {
            var other = name[..^ConfigDirectory.ClientCredentialsSuffix.Length];
            throw new UsageException($"{source} '{name}' is not a profile name: a name may not end in {ConfigDirectory.ClientCredentialsSuffix}, " +
                $"as the file of profile '{other}''s client-credentials token does (tokens/{name}.json). Choose another name.");
        }
        return name;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ValidName();
}
