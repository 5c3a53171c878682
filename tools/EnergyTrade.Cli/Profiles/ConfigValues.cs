using EnergyTrade.Cli.Infrastructure;

namespace EnergyTrade.Cli.Profiles;

/// <summary>Checks a value for `config set` before it is written, so a profile never holds one that fails later.</summary>
public static class ConfigValues
{
    /// <summary>The value as it is stored: trimmed; files as absolute paths; scopes separated by single spaces.</summary>
    public static string Check(ConfigKey key, string value)
    {
        var text = value.Trim();
        if (text.Length == 0) throw new UsageException($"{key.Name} cannot be empty; to remove it: energytrade config unset {key.Name}.");
        switch (key.Kind)
        {
            case ConfigValueKind.Url when !ConfigProfile.TryUrl(text, out _):
                throw new UsageException($"{key.Name} '{text}' is not an http:// or https:// URL (e.g. {key.Default ?? "https://login.example.org/realms/energytrade"}).");
            case ConfigValueKind.File:
                var path = Path.GetFullPath(text);
                if (!File.Exists(path)) throw new UsageException($"{key.Name} '{text}': there is no such file.");
                return path;
        }
        return key == ConfigKey.Scope ? string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries)) : text;
    }
}
