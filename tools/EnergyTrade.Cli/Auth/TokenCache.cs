using System.Text.Json;
using EnergyTrade.Cli.Infrastructure;

namespace EnergyTrade.Cli.Auth;

/// <summary>Reads and writes <see cref="CachedSignIn"/> files: owner-only, replaced atomically, never half-written.</summary>
public static class TokenCache
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The sign-in in <paramref name="path"/>; null when there is none, or it is unreadable (signing in again replaces it).</summary>
    public static CachedSignIn? Read(string? path)
    {
        if (path is null || !File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<CachedSignIn>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Write(string path, CachedSignIn signIn) => PrivateFile.WriteAllText(path, JsonSerializer.Serialize(signIn, Json) + Environment.NewLine);

    public static bool Delete(string? path)
    {
        if (path is null || !File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }
}
