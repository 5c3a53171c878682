using EnergyTrade.Identity.Clients;
using EnergyTrade.Identity.Users;

namespace EnergyTrade.Identity;

/// <summary>
/// Configuration section "Identity". Read once at start-up: a restart applies a change, including to the
/// clients and users, which are written to the store again on every start.
/// </summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    /// <summary>
    /// The issuer ("iss") of every token and the base of the discovery document's addresses. Unset, it is the
    /// address of each request, as OpenIddict derives it: set it when clients reach the provider by more than
    /// one address (a compose network and the host), or tokens from one address are not valid for the other.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>
    /// Serves the protocol over plain http, which OpenIddict otherwise refuses. For loopback development only:
    /// the provider will not start with it while any endpoint listens beyond loopback.
    /// </summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// The folder of the RSA keys, relative to the content root unless absolute: every *.pem in it signs or has
    /// signed tokens (all are published, the newest signs), encryption/*.pem protect the provider's own device
    /// codes and refresh tokens. Created with a key of each kind on first start.
    /// </summary>
    public string KeysPath { get; set; } = "keys";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a person's device-flow sign-in lasts without being used; each refresh starts it again.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Sign-in form posts (password guesses) per client address and minute.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 30;
    /// <summary>Token requests (each checks a client secret) per client address and minute.</summary>
    public int TokenRequestsPerMinute { get; set; } = 600;

    /// <summary>Client id → its registration.</summary>
    public Dictionary<string, ClientOptions> Clients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>User name → password and roles, for the people who approve device-flow sign-ins.</summary>
    public Dictionary<string, UserOptions> Users { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Reads the section and refuses what cannot work, every problem at once, each saying what to set.</summary>
    public static IdentityOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<IdentityOptions>() ?? new IdentityOptions();
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The identity provider's configuration cannot start it:" +
                string.Concat(problems.Select(p => Environment.NewLine + "  - " + p)));
        }
        return options;
    }

    public IEnumerable<string> Problems()
    {
        if (Issuer is { IsAbsoluteUri: false })
        {
            yield return $"{Section}:Issuer '{Issuer}' is not an absolute URL (e.g. https://login.example.org/).";
        }
        if (string.IsNullOrWhiteSpace(KeysPath))
        {
            yield return $"{Section}:KeysPath is empty: name the folder that keeps the signing keys (default 'keys').";
        }
        if (AccessTokenLifetime <= TimeSpan.Zero || RefreshTokenLifetime <= TimeSpan.Zero)
        {
            yield return $"{Section}:AccessTokenLifetime and {Section}:RefreshTokenLifetime must be positive (e.g. 00:15:00).";
        }
        if (Clients.Count == 0)
        {
            yield return $"{Section}:Clients is empty: a provider without clients issues no token.";
        }
        foreach (var (clientId, client) in Clients)
        {
            foreach (var problem in client.Problems($"{Section}:Clients:{clientId}")) yield return problem;
        }
        foreach (var (userName, user) in Users)
        {
            foreach (var problem in user.Problems($"{Section}:Users:{userName}")) yield return problem;
        }
    }
}
