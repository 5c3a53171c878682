using System.Text.Json;
using System.Text.Json.Serialization;
using EnergyTrade.Cli.Infrastructure;

namespace EnergyTrade.Cli.Profiles;

/// <summary>
/// config.json: named profiles of settings, and which profile is used when none is named.
/// <code>
/// { "default_profile": "prod",
///   "profiles": { "prod": { "authority": "https://login.example.org/realms/energytrade", "shipments_url": "https://…" } } }
/// </code>
/// Written whole, atomically and owner-only (<see cref="PrivateFile"/>); keys it does not know are kept as they are.
/// </summary>
public sealed class ConfigFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    [JsonPropertyName("default_profile")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DefaultProfile { get; set; }

    [JsonPropertyName("profiles")]
    public Dictionary<string, Dictionary<string, string>> Profiles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The file at <paramref name="path"/>, or an empty one when there is none yet.</summary>
    public static ConfigFile Load(string path)
    {
        if (!File.Exists(path)) return new ConfigFile();
        try
        {
            var file = JsonSerializer.Deserialize<ConfigFile>(File.ReadAllText(path), Json) ?? new ConfigFile();
            file.Profiles = new Dictionary<string, Dictionary<string, string>>(
                (file.Profiles ?? []).Select(p => KeyValuePair.Create(p.Key, new Dictionary<string, string>(p.Value ?? [], StringComparer.Ordinal))), StringComparer.Ordinal);
            return file;
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path} is not a configuration file the CLI can read ({e.Message}). Fix it, or move it away and " +
                "set the profile again with energytrade config set.");
        }
    }

    /// <summary>
    /// Reads the file, changes it and writes it back while holding config.lock, so two commands changing settings at
    /// once do not lose one change.
    /// </summary>
    public static async Task<ConfigFile> UpdateAsync(ConfigDirectory directory, Action<ConfigFile> change, TimeProvider clock, CancellationToken cancellationToken)
    {
        var lockFile = Path.Combine(directory.Path, "config.lock");
        using (await PrivateFile.LockAsync(lockFile, TimeSpan.FromSeconds(10), clock,
            $"Another energytrade command is changing {directory.ConfigFile} (it holds {lockFile}); try again", cancellationToken))
        {
            var file = Load(directory.ConfigFile);
            change(file);
            file.Save(directory.ConfigFile);
            return file;
        }
    }

    public void Save(string path)
    {
        var ordered = new ConfigFile
        {
            DefaultProfile = DefaultProfile,
            Profiles = Profiles.OrderBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(p => p.Key, p => p.Value.OrderBy(v => v.Key, StringComparer.Ordinal).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
                    StringComparer.Ordinal),
        };
        PrivateFile.WriteAllText(path, JsonSerializer.Serialize(ordered, Json) + Environment.NewLine);
    }
}
