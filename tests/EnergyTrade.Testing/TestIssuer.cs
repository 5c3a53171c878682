using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EnergyTrade.Contracts.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.Testing;

/// <summary>
/// An OpenID Connect issuer a test controls: a discovery document and a JWKS over real HTTP, RSA keys
/// it can rotate while services run, and tokens signed with any of them. It is the provider as services
/// see it (discovery, keys, tokens); how a provider decides whom to give a token is the development
/// identity provider's business and is tested there.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile IReadOnlyList<RsaSecurityKey> _published;
    /// <summary>
    /// A symmetric key the JWKS also lists, as a careless provider might: only the services' refusal of
    /// symmetric algorithms stops a token signed with it, since anyone can read it there.
    /// </summary>
    private readonly SymmetricSecurityKey _publishedSecret = new(RandomNumberGenerator.GetBytes(32)) { KeyId = "published-secret" };

    private TestIssuer(WebApplication app, Uri authority, RsaSecurityKey key)
    {
        _app = app;
        Authority = authority;
        _published = [key];
        CurrentKey = key;
    }

    /// <summary>The issuer URL: what services set as Auth:Authority, and every token's "iss".</summary>
    public Uri Authority { get; }
    public string Issuer => Authority.ToString().TrimEnd('/');
    /// <summary>The key new tokens are signed with.</summary>
    public RsaSecurityKey CurrentKey { get; private set; }
    /// <summary>How many times a service has read the keys.</summary>
    public int KeyReads => _keyReads;
    private int _keyReads;

    /// <summary>Configuration that makes a service trust this issuer (and not the tests' shared key).</summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment => new Dictionary<string, string>(TestAuth.TrustingProvider(new Uri(Issuer)))
    {
        ["Auth__KeyRefreshMinimumInterval"] = "00:00:01",
    };

    public static async Task<TestIssuer> StartAsync()
    {
        var port = ServiceProcess.FreePort();
        var app = IsolatedWebApplication.CreateBuilder(port).Build();
        var issuer = new TestIssuer(app, new Uri($"http://localhost:{port}/realms/test"), NewKey());
        app.MapGet("/realms/test/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Issuer,
            ["jwks_uri"] = $"{issuer.Issuer}/keys",
            ["token_endpoint"] = $"{issuer.Issuer}/token",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/realms/test/keys", () =>
        {
            Interlocked.Increment(ref issuer._keyReads);
            var keys = issuer._published.Select(k => JsonWebKeyConverter.ConvertFromRSASecurityKey(PublicOnly(k)))
                .Select(jwk => new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E })
                .Append(new Dictionary<string, string>
                {
                    ["kty"] = "oct", ["use"] = "sig", ["alg"] = "HS256", ["kid"] = issuer._publishedSecret.KeyId,
                    ["k"] = Base64UrlEncoder.Encode(issuer._publishedSecret.Key),
                });
            return Results.Json(new { keys });
        });
        await app.StartAsync();
        return issuer;
    }

    /// <summary>Publishes a new key and signs with it from now on; the old key stays published unless <paramref name="dropOld"/>.</summary>
    public RsaSecurityKey Rotate(bool dropOld)
    {
        var key = NewKey();
        _published = dropOld ? [key] : [key, .. _published];
        CurrentKey = key;
        return key;
    }

    /// <summary>A token as a provider issues it, signed RS256 with <paramref name="key"/> (default: the current key).</summary>
    public string Token(IEnumerable<string>? scopes = null, string subject = "test-user", string? authorizedParty = "test-client",
        string? issuer = null, string audience = TokenAudience.Value, RsaSecurityKey? key = null,
        IReadOnlyDictionary<string, object>? claims = null, TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(15));
        var start = expires - now < TimeSpan.FromMinutes(1) ? expires.AddHours(-1) : now.AddMinutes(-1);
        var payload = new Dictionary<string, object>(claims ?? new Dictionary<string, object>());
        if (scopes is not null) payload["scope"] = string.Join(' ', scopes);
        if (authorizedParty is not null) payload["azp"] = authorizedParty;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            Claims = payload,
            IssuedAt = start,
            NotBefore = start,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key ?? CurrentKey, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The same claims as a valid token, but "alg": "none" and no signature.</summary>
    public string UnsignedToken(IEnumerable<string> scopes)
    {
        var signed = Token(scopes);
        var payload = signed.Split('.')[1];
        return $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{payload}.";
    }

    /// <summary>
    /// HS256 with a key anyone can read from the JWKS: the symmetric one the issuer publishes there, or, in
    /// the algorithm-confusion attack, the bytes of its RSA public key naming that key's kid.
    /// </summary>
    public string HmacToken(IEnumerable<string> scopes, bool withThePublicRsaKey)
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(PublicOnly(CurrentKey));
        var secret = withThePublicRsaKey
            ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { e = jwk.E, kty = "RSA", n = jwk.N }))) { KeyId = CurrentKey.KeyId }
            : _publishedSecret;
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = TokenAudience.Value,
            Subject = new ClaimsIdentity([new Claim("sub", "mallory"), new Claim("scope", string.Join(' ', scopes))]),
            Expires = now.AddMinutes(15),
            SigningCredentials = new SigningCredentials(secret, SecurityAlgorithms.HmacSha256),
        });
    }

    public static RsaSecurityKey NewKey()
    {
        var key = new RsaSecurityKey(RSA.Create(2048));
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    private static RsaSecurityKey PublicOnly(RsaSecurityKey key) =>
        new(key.Rsa.ExportParameters(includePrivateParameters: false)) { KeyId = key.KeyId };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
