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

    /// <summary>A confidential client allowed the read scopes; the development provider's energytrade-reader has them.</summary>
    public string ClientId { get; set; } = "energytrade-reader";

    /// <summary>Never in appsettings.json: the environment variable Web__ClientSecret, or a secret store.</summary>
    public string? ClientSecret { get; set; }

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
