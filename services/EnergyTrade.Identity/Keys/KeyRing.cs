namespace EnergyTrade.Identity.Keys;

/// <summary>
/// The provider's keys, from Identity:KeysPath. Every *.pem directly in the folder is a signing key: all are
/// published in the JWKS, so tokens any of them signed stay valid, and the newest file signs. To rotate, add
/// a key file and restart; once everything the old key signed has expired, delete it and restart. The
/// signing key also signs refresh tokens, so "everything" means Identity:RefreshTokenLifetime (14 days),
/// not only the 15 minutes of an access token. encryption/*.pem protect what only the provider reads
/// (device codes, refresh tokens) the same way: all decrypt, the newest encrypts. A folder without keys
/// gets one of each. "Newest" is the file's modification time: copy key files with their times (cp -p).
/// </summary>
public sealed class KeyRing
{
    public const string EncryptionFolder = "encryption";

    private KeyRing(string folder, IReadOnlyList<KeyFile> signing, IReadOnlyList<KeyFile> encryption, IReadOnlyList<KeyFile> created)
    {
        Folder = folder;
        SigningKeys = signing;
        EncryptionKeys = encryption;
        Created = created;
    }

    public string Folder { get; }
    /// <summary>Newest first: the first one signs.</summary>
    public IReadOnlyList<KeyFile> SigningKeys { get; }
    /// <summary>Newest first: the first one encrypts.</summary>
    public IReadOnlyList<KeyFile> EncryptionKeys { get; }
    /// <summary>The keys this start created, for the log.</summary>
    public IReadOnlyList<KeyFile> Created { get; }

    public static KeyRing LoadOrCreate(string folder)
    {
        var created = new List<KeyFile>();
        var signing = LoadOrCreate(folder, "signing", created);
        var encryption = LoadOrCreate(Path.Combine(folder, EncryptionFolder), "encryption", created);
        return new KeyRing(folder, signing, encryption, created);
    }

    private static List<KeyFile> LoadOrCreate(string folder, string use, List<KeyFile> created)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var keys = Directory.EnumerateFiles(folder, "*.pem").Select(KeyFile.Read).ToList();
        if (keys.Count == 0)
        {
            var key = KeyFile.Create(Path.Combine(folder, $"{use}-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.pem"));
            created.Add(key);
            keys.Add(key);
        }
        var duplicate = keys.GroupBy(k => k.KeyId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"{string.Join(" and ", duplicate.Select(k => k.Path))} hold the same key: delete one.");
        }
        // Newest first; the name orders two files written within the same tick, so every replica picks the same one.
        return [.. keys.OrderByDescending(k => k.WrittenUtc).ThenByDescending(k => Path.GetFileName(k.Path), StringComparer.Ordinal)];
    }
}
