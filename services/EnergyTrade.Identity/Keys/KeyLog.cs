namespace EnergyTrade.Identity.Keys;

public static partial class KeyLog
{
    /// <summary>Which keys were created, which signs, and every key file others than its owner can read.</summary>
    public static void Loaded(ILogger logger, KeyRing keys)
    {
        foreach (var key in keys.Created) Created(logger, key.Path, key.KeyId);
        Signing(logger, keys.SigningKeys[0].KeyId, keys.SigningKeys[0].Path, keys.SigningKeys.Count, string.Join(' ', keys.SigningKeys.Select(k => k.KeyId)));
        foreach (var key in keys.SigningKeys.Concat(keys.EncryptionKeys).Where(k => k.IsReadableByOthers())) ReadableByOthers(logger, key.Path);
    }

    [LoggerMessage(LogLevel.Information, "Created key {Path} (kid {KeyId})")]
    private static partial void Created(ILogger logger, string path, string keyId);

    [LoggerMessage(LogLevel.Information, "Signing tokens with key {KeyId} ({Path}); the JWKS publishes {Count} key(s): {KeyIds}")]
    private static partial void Signing(ILogger logger, string keyId, string path, int count, string keyIds);

    [LoggerMessage(LogLevel.Warning, "Key file {Path} can be read by others than its owner: chmod 600 it")]
    private static partial void ReadableByOthers(ILogger logger, string path);
}
