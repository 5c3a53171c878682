namespace EnergyTrade.Web;

/// <summary>Where the page's data comes from and who it calls as, under Web:.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Shipments' gRPC endpoint, e.g. http://localhost:5101.</summary>
    public Uri? ShipmentsUrl { get; set; }

    /// <summary>Trade's gRPC endpoint, e.g. http://localhost:5201.</summary>
    public Uri? TradeUrl { get; set; }

    /// <summary>The identity provider that issues the page's own tokens (client credentials).</summary>
    public Uri? Authority { get; set; }

    /// <summary>
    /// The page's confidential client: people sign in through it (authorization code, its redirect address
    /// http(s)://host:port/signin-oidc registered with the provider), and it reads the services as itself
    /// (client credentials, scopes shipments:read and trade:read).
    /// </summary>
    public string ClientId { get; set; } = "energytrade-web";

    /// <summary>Never in appsettings.json: the environment variable Web__ClientSecret, or a secret store.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Whether the provider's discovery document must come over https. Unset: unless the authority is on loopback
    /// (development). Compose sets false for Keycloak on its private network, as the services' Auth:RequireHttpsMetadata.
    /// </summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>Web: from configuration; a missing setting stops the start, naming it.</summary>
    public static WebOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<WebOptions>() ?? new WebOptions();
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? options : throw new InvalidOperationException("The page cannot start: " + string.Join(" ", problems));
    }

    public IEnumerable<string> Problems()
    {
        if (ShipmentsUrl is null) yield return "Web:ShipmentsUrl is not set: give Shipments' gRPC address (environment variable Web__ShipmentsUrl).";
        if (TradeUrl is null) yield return "Web:TradeUrl is not set: give Trade's gRPC address (environment variable Web__TradeUrl).";
        if (Authority is null) yield return "Web:Authority is not set: give the identity provider's address (environment variable Web__Authority).";
        if (string.IsNullOrEmpty(ClientSecret))
        {
            yield return $"Web:ClientSecret is not set: give the secret of client '{ClientId}' (environment variable Web__ClientSecret).";
        }
    }
}
