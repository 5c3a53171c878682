using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.Identity.Keys;

/// <summary>An RSA key kept as a PEM file, with the "kid" it is published under.</summary>
public sealed class KeyFile
{
    public const int MinimumBits = 2048;

    private KeyFile(string path, RsaSecurityKey key, DateTime writtenUtc)
    {
        Path = path;
        Key = key;
        WrittenUtc = writtenUtc;
    }

    public string Path { get; }
    public RsaSecurityKey Key { get; }
    public string KeyId => Key.KeyId;
    public DateTime WrittenUtc { get; }

    public static KeyFile Read(string path)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        catch (ArgumentException e)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"{path} holds no RSA private key in PEM form (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY): {e.Message}", e);
        }
        if (rsa.KeySize < MinimumBits)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"{path} is a {rsa.KeySize}-bit RSA key; at least {MinimumBits} bits are needed.");
        }
        return new KeyFile(path, new RsaSecurityKey(rsa) { KeyId = KeyIdOf(rsa) }, File.GetLastWriteTimeUtc(path));
    }

    /// <summary>
    /// Writes a new key readable by its owner only (0600). The file appears whole or not at all — written
    /// aside, then moved — so a provider starting at the same moment never reads half a key.
    /// </summary>
    public static KeyFile Create(string path)
    {
        using (var rsa = RSA.Create(MinimumBits))
        {
            var temporary = path + ".tmp-" + Environment.ProcessId;
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(temporary, options))
            {
                writer.Write(rsa.ExportPkcs8PrivateKeyPem());
            }
            File.Move(temporary, path, overwrite: false);
        }
        return Read(path);
    }

    /// <summary>True when others than the owner may read the file, which a private key should not allow.</summary>
    public bool IsReadableByOthers() =>
        !OperatingSystem.IsWindows() &&
        (File.GetUnixFileMode(Path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;

    /// <summary>The RFC 7638 thumbprint of the public key: the same key gets the same "kid" on every start and every replica.</summary>
    private static string KeyIdOf(RSA rsa)
    {
        var publicKey = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
        return Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(publicKey).ComputeJwkThumbprint());
    }
}
