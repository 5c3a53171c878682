using System.Text.Json.Serialization;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// A sign-in as tokens/PROFILE.json keeps it (mode 0600):
/// <code>
/// { "kind": "device_code", "authority": "http://127.0.0.1:5300/", "client_id": "energytrade-cli", "subject": "trader",
///   "scope": "shipments:read shipments:write trade:read offline_access", "access_token": "eyJ…",
///   "expires_at": "2026-12-02T10:15:00+00:00", "refresh_token": "…" }
/// </code>
/// A client-credentials sign-in has no refresh token; made with --client-secret-file it keeps the file's path (never the
/// secret) and renews by reading the file again.
/// </summary>
public sealed record CachedSignIn
{
    public const string DeviceCodeKind = "device_code";
    public const string ClientCredentialsKind = "client_credentials";

    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    [JsonPropertyName("authority")]
    public required string Authority { get; init; }

    [JsonPropertyName("client_id")]
    public required string ClientId { get; init; }

    [JsonPropertyName("subject")]
    public string? Subject { get; init; }

    [JsonPropertyName("scope")]
    public string? Scope { get; init; }

    [JsonPropertyName("access_token")]
    public required string AccessToken { get; init; }

    [JsonPropertyName("expires_at")]
    public required DateTimeOffset ExpiresAt { get; init; }

    [JsonPropertyName("refresh_token")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("client_secret_file")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientSecretFile { get; init; }

    /// <summary>The scope asked for (null: none named), so a token fetched for other scopes is not reused.</summary>
    [JsonPropertyName("requested_scope")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequestedScope { get; init; }

    /// <summary>For a token fetched with $ENERGYTRADE_CLIENT_SECRET: a salted hash of that secret (<see cref="ClientSecret.Fingerprint"/>).</summary>
    [JsonPropertyName("secret_fingerprint")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SecretFingerprint { get; init; }

    [JsonIgnore]
    public IReadOnlyList<string> Scopes => TokenClaims.Split(Scope);

    public static CachedSignIn From(TokenGrant grant, string kind, Uri authority, string clientId, string? secretFile = null, string? requestedScope = null) => new()
    {
        Kind = kind,
        Authority = authority.ToString(),
        ClientId = clientId,
        Subject = grant.Subject,
        Scope = string.Join(' ', grant.Scopes),
        AccessToken = grant.AccessToken,
        ExpiresAt = grant.ExpiresAt,
        RefreshToken = grant.RefreshToken,
        ClientSecretFile = secretFile,
        RequestedScope = requestedScope,
    };

    /// <summary>Whether it was issued by <paramref name="authority"/> (a trailing slash aside).</summary>
    public bool IsFrom(Uri authority) => string.Equals(Authority.TrimEnd('/'), authority.ToString().TrimEnd('/'), StringComparison.Ordinal);
}
