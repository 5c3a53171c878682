using System.Text;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Contracts.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// Mints HS256 JWTs the services accept when they run with Auth:SigningKey (local development:
/// scripts/up.sh), with the library the services validate them with, so header, encoding and
/// signature cannot drift from what they expect.
/// </summary>
public static class JwtMinter
{
    public const string DefaultIssuer = "energytrade-local";
    public const string DefaultSubject = "energytrade-cli";

    public static string Mint(string signingKey, string issuer, IEnumerable<string> scopes, DateTimeOffset now, TimeSpan lifetime,
        string subject = DefaultSubject)
    {
        if (signingKey.Length < SharedSigningKey.MinimumLength)
        {
            throw new UsageException($"{TokenSource.SigningKeyVariable} is {signingKey.Length} characters long; the services accept only keys of at least " +
                $"{SharedSigningKey.MinimumLength}. Use the key they run with: scripts/up.sh keeps it as SIGNING_KEY in .run/up/secrets.env.");
        }
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
