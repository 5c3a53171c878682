using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EnergyTrade.Contracts.Security;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// Mints HS256 JWTs the services accept when they run with Auth:SigningKey (local development:
/// scripts/up.sh). Written out here because an HS256 token is a few lines, not worth a dependency.
/// </summary>
public static class JwtMinter
{
    public const string DefaultIssuer = "energytrade-local";
    public const string DefaultSubject = "energytrade-cli";

    public static string Mint(string signingKey, string issuer, IEnumerable<string> scopes, DateTimeOffset now, TimeSpan lifetime,
        string subject = DefaultSubject)
    {
        // Backdated a little, so a service whose clock runs slightly behind does not see a token from the future.
        var notBefore = now.AddMinutes(-1);
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" };
        var payload = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = TokenAudience.Value,
            ["sub"] = subject,
            ["scope"] = string.Join(' ', scopes),
            ["iat"] = notBefore.ToUnixTimeSeconds(),
            ["nbf"] = notBefore.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
