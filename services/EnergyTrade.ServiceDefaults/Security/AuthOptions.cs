using EnergyTrade.Contracts.Security;

namespace EnergyTrade.ServiceDefaults.Security;

/// <summary>
/// Configuration section "Auth". Tokens come from an OpenID Connect provider (<see cref="Authority"/>);
/// a shared HS256 key (<see cref="SigningKey"/>) is a local-development mode only.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const string DefaultSharedKeyIssuer = "energytrade-local";

    /// <summary>The provider's issuer URL. Its discovery document gives the issuer to require and the keys (JWKS).</summary>
    public string? Authority { get; set; }
    /// <summary>The "aud" every token must name.</summary>
    public string Audience { get; set; } = TokenAudience.Value;
    /// <summary>False lets discovery run over http, for a provider on loopback or inside a compose network.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
    /// <summary>Space-separated "alg" values a provider's token may use; never a symmetric one.</summary>
    public string ValidAlgorithms { get; set; } = "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512";
    /// <summary>
    /// Space-separated claim paths that hold role names: "roles" (Entra ID app roles), "realm_access.roles"
    /// (Keycloak realm roles), "resource_access.{client}.roles" (Keycloak client roles).
    /// </summary>
    public string RoleClaims { get; set; } = "roles realm_access.roles";
    /// <summary>Role name → the space-separated scopes it grants, e.g. Auth__RoleScopes__energytrade-reader="shipments:read trade:read".</summary>
    public Dictionary<string, string> RoleScopes { get; set; } = new(StringComparer.Ordinal);
    /// <summary>A role named exactly like a scope grants it (Entra ID app roles "shipments:read" …).</summary>
    public bool ScopesFromRoleNames { get; set; }
    /// <summary>How often the provider's keys are read again, so a key it drops stops being trusted.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The least time between reads forced by a token signed with a key not yet known (a rotation).</summary>
    public TimeSpan KeyRefreshMinimumInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Local development only: an HS256 key, the UTF-8 bytes of this string (at least 32 characters).</summary>
    public string? SigningKey { get; set; }
    /// <summary>The "iss" required with <see cref="SigningKey"/>; a provider's issuer comes from its discovery document.</summary>
    public string? Issuer { get; set; }
    /// <summary>Lets the service start without any key, every method open. Tests may set it; never in production.</summary>
    public bool AllowAnonymous { get; set; }

    public bool UsesAuthority => !string.IsNullOrWhiteSpace(Authority);
    public bool UsesSharedKey => !string.IsNullOrEmpty(SigningKey);
    public bool HasKeys => UsesAuthority || UsesSharedKey;

    /// <summary>Why this configuration cannot start a service, in words that say what to set; null when it can.</summary>
    public string? Problem()
    {
        if (UsesAuthority && UsesSharedKey)
        {
            return "Auth:Authority and Auth:SigningKey are both set. Tokens come from the identity provider (Auth:Authority); " +
                "the shared key is a local-development mode only: clear Auth:SigningKey (Auth__SigningKey=\"\").";
        }
        if (!HasKeys && !AllowAnonymous)
        {
            return "No token issuer is configured. Set Auth:Authority to your OpenID Connect provider's issuer URL (Auth__Authority; " +
                "scripts/up.sh starts a development one), or for local development only Auth:SigningKey (HS256, at least " +
                $"{SharedSigningKey.MinimumLength} characters). Only for local testing: Auth:AllowAnonymous=true starts the service with every method open.";
        }
        if (UsesSharedKey && SigningKey!.Length < SharedSigningKey.MinimumLength)
        {
            return $"Auth:SigningKey must be at least {SharedSigningKey.MinimumLength} characters long.";
        }
        if (UsesAuthority && !Uri.TryCreate(Authority, UriKind.Absolute, out _))
        {
            return $"Auth:Authority '{Authority}' is not an absolute URL (e.g. https://login.example.org/realms/energytrade).";
        }
        if (UsesAuthority && RequireHttpsMetadata && !Authority!.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return $"Auth:Authority '{Authority}' is not https: the provider's keys would be read over a connection anyone on the way " +
                "can change. Use its https address, or for a provider on loopback or inside a compose network set Auth:RequireHttpsMetadata=false.";
        }
        if (UsesAuthority && Algorithms.Count == 0)
        {
            return "Auth:ValidAlgorithms is empty, which would accept any algorithm: name the provider's (default RS256 … ES512).";
        }
        if (RoleScopes.FirstOrDefault(r => r.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => !Scopes.All.Contains(s, StringComparer.Ordinal))) is { Key: not null } typo)
        {
            return $"Auth:RoleScopes:{typo.Key} is '{typo.Value}', which names a scope the services do not have; the scopes are {string.Join(' ', Scopes.All)}.";
        }
        if (UsesAuthority && Algorithms.Any(a => a.StartsWith("HS", StringComparison.OrdinalIgnoreCase) || a.Equals("none", StringComparison.OrdinalIgnoreCase)))
        {
            return $"Auth:ValidAlgorithms '{ValidAlgorithms}' names a symmetric algorithm or none; a provider's tokens are signed with its private key (RS256, ES256, …).";
        }
        if (string.IsNullOrWhiteSpace(Audience))
        {
            return "Auth:Audience is empty: name the audience your provider puts in the services' tokens (default energytrade).";
        }
        // Microsoft.IdentityModel's configuration manager refuses shorter intervals.
        if (KeyRefreshInterval < TimeSpan.FromMinutes(5) || KeyRefreshMinimumInterval < TimeSpan.FromSeconds(1))
        {
            return "Auth:KeyRefreshInterval must be at least 00:05:00 and Auth:KeyRefreshMinimumInterval at least 00:00:01.";
        }
        return null;
    }

    public IReadOnlyList<string> Algorithms => ValidAlgorithms.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    public IReadOnlyList<string> RoleClaimPaths => RoleClaims.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
