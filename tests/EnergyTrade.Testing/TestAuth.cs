using System.Security.Claims;
using System.Text;
using EnergyTrade.Contracts.Security;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.Testing;

/// <summary>
/// Tokens for services started by tests. The key below exists only for tests: services started by
/// <see cref="ServiceProcess"/> trust it, and nothing else does.
/// </summary>
public static class TestAuth
{
    public const string SigningKey = "energytrade-tests-only-signing-key-7c1f0e2a9b";
    public const string Issuer = "energytrade-tests";
    public const string Audience = TokenAudience.Value;

    /// <summary>Configuration that makes a service trust <see cref="SigningKey"/>.</summary>
    public static IReadOnlyDictionary<string, string> ServiceEnvironment => new Dictionary<string, string>
    {
        ["Auth__SigningKey"] = SigningKey,
        ["Auth__Issuer"] = Issuer,
    };

    /// <summary>
    /// Configuration that makes a service trust the provider at <paramref name="authority"/> instead of
    /// <see cref="SigningKey"/>, with discovery over http as on loopback.
    /// </summary>
    public static Dictionary<string, string> TrustingProvider(Uri authority) => new()
    {
        ["Auth__SigningKey"] = "",
        ["Auth__Authority"] = authority.ToString(),
        ["Auth__RequireHttpsMetadata"] = "false",
    };

    /// <param name="authorizedParty">An "azp" claim: the client the token was issued to.</param>
    public static string Token(IEnumerable<string>? scopes = null, TimeSpan? lifetime = null, string issuer = Issuer,
        string audience = Audience, string signingKey = SigningKey, string subject = "test-client", DateTime? notBefore = null,
        string? authorizedParty = null)
    {
        Claim[] claims = [new Claim("sub", subject), new Claim("scope", string.Join(' ', scopes ?? Scopes.All))];
        if (authorizedParty is not null) claims = [.. claims, new Claim("azp", authorizedParty)];
        var now = DateTime.UtcNow;
        var start = notBefore ?? now.AddMinutes(-1);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = start,
            NotBefore = start,
            // A given start dates the whole token (e.g. one that expired hours ago); otherwise it lives from now.
            Expires = (notBefore is null ? now : start) + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>Call credentials that send one fixed bearer token.</summary>
    public static CallCredentials Bearer(string token) => CallCredentials.FromInterceptor((_, metadata) =>
    {
        metadata.Add("Authorization", $"Bearer {token}");
        return Task.CompletedTask;
    });

    /// <summary>
    /// A channel whose calls carry a bearer token: over cleartext HTTP/2 on loopback, or over TLS
    /// through <paramref name="handler"/> (e.g. <see cref="ServiceTls.Handler"/>) for an https address.
    /// </summary>
    public static GrpcChannel Channel(Uri address, string? token = null, HttpMessageHandler? handler = null) =>
        Channel(address, Bearer(token ?? Token()), handler);

    /// <summary>A channel whose calls carry what <paramref name="credentials"/> add (e.g. tokens renewed from a provider).</summary>
    public static GrpcChannel Channel(Uri address, CallCredentials credentials, HttpMessageHandler? handler = null)
    {
        var secure = address.Scheme == Uri.UriSchemeHttps;
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            Credentials = ChannelCredentials.Create(secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, credentials),
            UnsafeUseInsecureChannelCallCredentials = !secure,
        });
    }
}
