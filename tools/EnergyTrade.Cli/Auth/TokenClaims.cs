using Microsoft.IdentityModel.JsonWebTokens;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// What an access token says about itself (subject, client, scopes, issuer, expiry), read without checking its
/// signature: the services check it; the CLI only shows it and knows when to renew it. Null for a token that is
/// not a JWT (an opaque ENERGYTRADE_TOKEN).
/// </summary>
public sealed record TokenClaims(string? Subject, string? ClientId, IReadOnlyList<string> Scopes, string? Issuer, DateTimeOffset? ExpiresAt)
{
    public static TokenClaims? Read(string token)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or Microsoft.IdentityModel.Tokens.SecurityTokenException or System.Text.Json.JsonException or FormatException)
        {
            // Not a JWT, or not one that can be read: an opaque token, shown and sent as it is.
            return null;
        }
        string? Claim(string type) => jwt.TryGetPayloadValue<string>(type, out var value) && value.Length > 0 ? value : null;
        return new TokenClaims(
            Claim("sub"),
            Claim("azp") ?? Claim("client_id"),
            ScopesOf(jwt),
            Claim("iss"),
            jwt.TryGetPayloadValue<long>("exp", out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : null);
    }

    public static IReadOnlyList<string> Split(string? scopes) =>
        scopes?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>"scope" as one space-separated string (RFC 9068), or "scp" (Entra ID) as a string or an array.</summary>
    private static IReadOnlyList<string> ScopesOf(JsonWebToken jwt)
    {
        if (jwt.TryGetPayloadValue<string>("scope", out var scope)) return Split(scope);
        if (jwt.TryGetPayloadValue<string>("scp", out var scp)) return Split(scp);
        if (jwt.TryGetPayloadValue<List<string>>("scp", out var list)) return list;
        return [];
    }
}
