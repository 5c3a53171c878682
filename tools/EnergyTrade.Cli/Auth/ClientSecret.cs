using System.Security.Cryptography;
using System.Text;
using EnergyTrade.Cli.Infrastructure;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// A confidential client's secret, from a file or $ENERGYTRADE_CLIENT_SECRET, never from the command line, where
/// it would show in process listings and shell history.
/// </summary>
public static class ClientSecret
{
    /// <summary>The file's content without surrounding whitespace (the newline an editor or echo leaves).</summary>
    public static string Read(string file, string source)
    {
        var path = Path.GetFullPath(file);
        if (!File.Exists(path)) throw new UsageException($"{source} '{file}': there is no such file.");
        var secret = File.ReadAllText(path).Trim();
        if (secret.Length == 0) throw new UsageException($"{source} '{file}' is empty: it should hold the client's secret.");
        return secret;
    }

    /// <summary>
    /// "salt:hash" (SHA-256 of a random salt and the secret), kept with a token fetched with the secret in the environment, so a
    /// later command reuses that token only when it holds the same secret, and the secret itself is never written anywhere.
    /// </summary>
    public static string Fingerprint(string secret, string? salt = null)
    {
        salt ??= Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return $"{salt}:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{salt}:{secret}")))}";
    }

    public static bool Matches(string? fingerprint, string secret) =>
        fingerprint?.Split(':') is [var salt, var hash] && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Fingerprint(secret, salt)), Encoding.ASCII.GetBytes($"{salt}:{hash}"));

    /// <summary>A warning when others may read the file (as ssh warns of a private key).</summary>
    public static string? Exposure(string file)
    {
        var path = Path.GetFullPath(file);
        if (OperatingSystem.IsWindows() || !File.Exists(path)) return null;
        var others = File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return others == 0 ? null : $"{file} can be read by other users; keep a secret owner-only: chmod 600 {file}";
    }
}
