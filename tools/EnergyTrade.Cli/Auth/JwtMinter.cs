using System.Text;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Contracts.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// The local-development mode: mints HS256 JWTs the services accept only when they run with the shared key
/// Auth:SigningKey instead of an identity provider, with the library the services validate them with, so header,
/// encoding and signature cannot drift from what they expect. Anyone holding that key can mint any scope: it is
/// for a developer's own machine, never for services others use (they take tokens from the identity provider).
/// </summary>
public static class JwtMinter
{
    public const string DefaultIssuer = "energytrade-local";
    public const string DefaultSubject = "energytrade-cli";

    /// <summary>A key the services would refuse is a usage error saying where the right one is.</summary>
    public static void CheckKey(string signingKey)
    {
        if (signingKey.Length < SharedSigningKey.MinimumLength)
        {
            throw new UsageException($"{TokenSource.SigningKeyVariable} is {signingKey.Length} characters long; the services accept only keys of at least " +
                $"{SharedSigningKey.MinimumLength}. Use the key they run with in local-development mode: scripts/up.sh keeps it as SIGNING_KEY in .run/up/secrets.env.");
        }
    }

    public static string Mint(string signingKey, string issuer, IEnumerable<string> scopes, DateTimeOffset now, TimeSpan lifetime,
        string subject = DefaultSubject)
    {
        CheckKey(signingKey);
        // Backdated a little, so a service whose clock runs slightly behind does not see a token from the future.
        var notBefore = now.AddMinutes(-1).UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = TokenAudience.Value,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = (now + lifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["scope"] = string.Join(' ', scopes),
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
