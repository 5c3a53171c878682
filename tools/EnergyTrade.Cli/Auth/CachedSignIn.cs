using System.Text;
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
/// secret) and renews by reading the file again. Printed (a log, a debugger), it shows neither token.
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

    /// <summary>When the token was issued, by this machine's clock: a short-lived token is renewed at half its lifetime. Absent from older files.</summary>
    [JsonPropertyName("issued_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? IssuedAt { get; init; }

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

    /// <summary>A token is renewed when it has less than this left (or half its lifetime, if that is shorter).</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long before it expires the token is renewed: a minute, or half its lifetime for one that lives less than two,
    /// so a token good for a minute is not renewed before every call. A file without issued_at renews a minute ahead.
    /// </summary>
    [JsonIgnore]
    public TimeSpan RenewalMargin => IssuedAt is { } issued && (ExpiresAt - issued) / 2 is var half && half < RenewBefore
        ? (half > TimeSpan.Zero ? half : TimeSpan.Zero)
        : RenewBefore;

    public bool NearExpiry(DateTimeOffset now) => ExpiresAt - now <= RenewalMargin;

    public bool Expired(DateTimeOffset now) => ExpiresAt <= now;

    public static CachedSignIn From(TokenGrant grant, string kind, Uri authority, string clientId, string? secretFile = null, string? requestedScope = null) => new()
    {
        Kind = kind,
        Authority = authority.ToString(),
        ClientId = clientId,
        Subject = grant.Subject,
        Scope = string.Join(' ', grant.Scopes),
        AccessToken = grant.AccessToken,
        ExpiresAt = grant.ExpiresAt,
        IssuedAt = grant.IssuedAt,
        RefreshToken = grant.RefreshToken,
        ClientSecretFile = secretFile,
        RequestedScope = requestedScope,
    };

    /// <summary>The sign-in renewed with <paramref name="grant"/>: what the provider left out (a refresh token it did not rotate, the scopes) stays.</summary>
    public CachedSignIn RenewedWith(TokenGrant grant) => this with
    {
        AccessToken = grant.AccessToken,
        ExpiresAt = grant.ExpiresAt,
        IssuedAt = grant.IssuedAt,
        RefreshToken = grant.RefreshToken ?? RefreshToken,
        Scope = grant.Scopes.Count > 0 ? string.Join(' ', grant.Scopes) : Scope,
        Subject = grant.Subject ?? Subject,
    };

    /// <summary>Whether it was issued by <paramref name="authority"/> (a trailing slash aside).</summary>
    public bool IsFrom(Uri authority) => string.Equals(Authority.TrimEnd('/'), authority.ToString().TrimEnd('/'), StringComparison.Ordinal);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Kind = {Kind}, Authority = {Authority}, ClientId = {ClientId}, Subject = {Subject}, Scope = {Scope}, ")
            .Append($"AccessToken = {Secrets.Redact(AccessToken)}, ExpiresAt = {ExpiresAt:O}, IssuedAt = {IssuedAt:O}, RefreshToken = {Secrets.Redact(RefreshToken)}, ")
            .Append($"ClientSecretFile = {ClientSecretFile}, RequestedScope = {RequestedScope}, SecretFingerprint = {Secrets.Redact(SecretFingerprint)}");
        return true;
    }
}
