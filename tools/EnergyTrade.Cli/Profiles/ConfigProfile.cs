using EnergyTrade.Cli.Infrastructure;

namespace EnergyTrade.Cli.Profiles;

/// <summary>
/// The profile a command runs with, and every setting's effective value: the command-line option, else the
/// environment variable, else the profile in config.json, else the built-in default.
/// </summary>
public sealed class ConfigProfile
{
    private readonly Func<string, string?> _variables;
    private readonly IReadOnlyDictionary<string, string> _values;

    private ConfigProfile(string name, string nameSource, ConfigDirectory? directory, IReadOnlyDictionary<string, string> values, bool configured,
        Func<string, string?> variables)
    {
        Name = name;
        NameSource = nameSource;
        Directory = directory;
        _values = values;
        IsConfigured = configured;
        _variables = variables;
    }

    public string Name { get; }
    /// <summary>Where the name came from: --profile, ENERGYTRADE_PROFILE, config.json's default_profile, or the default.</summary>
    public string NameSource { get; }
    /// <summary>Null when the environment names no home (then there is no profile file and no cached sign-in).</summary>
    public ConfigDirectory? Directory { get; }
    /// <summary>Whether config.json has this profile.</summary>
    public bool IsConfigured { get; }
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>
    /// The profile named by <paramref name="option"/>, else $ENERGYTRADE_PROFILE, else config.json's default_profile, else "default".
    /// A profile named on purpose that has neither settings nor a sign-in is a usage error (a typo would otherwise
    /// quietly run against the defaults), unless <paramref name="mayBeNew"/> (config set, login).
    /// </summary>
    public static ConfigProfile Load(string? option, Func<string, string?> variables, bool mayBeNew = false)
    {
        var directory = ConfigDirectory.Locate(variables);
        var file = directory is null ? new ConfigFile() : ConfigFile.Load(directory.ConfigFile);
        var (name, source) = option is { Length: > 0 } ? (option.Trim(), "--profile")
            : variables(ProfileName.Variable) is { Length: > 0 } fromVariable ? (fromVariable.Trim(), ProfileName.Variable)
            : file.DefaultProfile is { Length: > 0 } fromFile ? (fromFile, "default_profile in config.json")
            : (ProfileName.Default, Setting.DefaultSource);
        ProfileName.Check(name, source);
        var configured = file.Profiles.TryGetValue(name, out var values);
        if (!configured && !mayBeNew && name != ProfileName.Default && !(directory is not null && File.Exists(directory.LoginFile(name))))
        {
            var known = file.Profiles.Keys.Order(StringComparer.Ordinal).ToList();
            throw new UsageException($"There is no profile '{name}' ({source}) in {directory?.ConfigFile ?? "the configuration"}" +
                (known.Count > 0 ? $"; the profiles are {string.Join(", ", known)}." : "; there are no profiles yet.") +
                $" Create it with: energytrade config set authority URL --profile {name}");
        }
        return new ConfigProfile(name, source, directory, values ?? new Dictionary<string, string>(StringComparer.Ordinal), configured, variables);
    }

    /// <summary>The option if given, else the environment variable, else this profile's value, else the key's default.</summary>
    public Setting Resolve(ConfigKey key, string? option = null)
    {
        if (option is { Length: > 0 } && key.Option is not null) return new Setting(key, option.Trim(), key.Option);
        if (_variables(key.Variable) is { Length: > 0 } variable) return new Setting(key, variable.Trim(), key.Variable);
        if (_values.TryGetValue(key.Name, out var stored) && stored.Length > 0) return new Setting(key, stored, $"profile '{Name}'");
        return key.Default is { } fallback ? new Setting(key, fallback, Setting.DefaultSource) : new Setting(key, null, Setting.UnsetSource);
    }

    /// <summary>The directory, or a usage error saying how to name one (for what has to be written).</summary>
    public ConfigDirectory RequireDirectory() => Directory ?? ConfigDirectory.Require(_variables);

    /// <summary>A URL setting as a URI; a value that is not an http(s) URL is a usage error naming where it came from.</summary>
    public static Uri Url(Setting setting)
    {
        var text = setting.Value ?? throw new InvalidOperationException($"{setting.Key.Name} has no value.");
        if (TryUrl(text, out var url)) return url;
        var example = setting.Key.Default ?? "https://login.example.org/realms/energytrade";
        throw new UsageException($"{setting.Source} '{text}' is not an http:// or https:// URL (e.g. {example}).");
    }

    public static bool TryUrl(string text, out Uri url) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
}
