namespace EnergyTrade.Cli.Profiles;

/// <summary>What a value of a setting is, which decides how `config set` checks and stores it.</summary>
public enum ConfigValueKind
{
    /// <summary>An absolute http:// or https:// URL.</summary>
    Url,
    /// <summary>A file that must exist; stored as an absolute path, so the profile works from any directory.</summary>
    File,
    Text,
}

/// <summary>
/// A setting a profile may hold, and the option and environment variable that override it: the command line
/// wins over the environment, the environment over the profile, the profile over the built-in default.
/// </summary>
public sealed record ConfigKey(string Name, string Variable, string? Option, ConfigValueKind Kind, string Description, string? Default = null)
{
    public const string DefaultShipmentsUrl = "http://localhost:5101";
    public const string DefaultTradeUrl = "http://localhost:5201";
    public const string DefaultClientId = "energytrade-cli";

    public static readonly ConfigKey ShipmentsUrl = new("shipments_url", "ENERGYTRADE_SHIPMENTS_URL", "--shipments-url", ConfigValueKind.Url,
        "Shipments gRPC address", DefaultShipmentsUrl);
    public static readonly ConfigKey TradeUrl = new("trade_url", "ENERGYTRADE_TRADE_URL", "--trade-url", ConfigValueKind.Url,
        "Trade gRPC address", DefaultTradeUrl);
    public static readonly ConfigKey Authority = new("authority", "ENERGYTRADE_AUTHORITY", "--authority", ConfigValueKind.Url,
        "The identity provider's issuer URL (OpenID Connect discovery)");
    public static readonly ConfigKey ClientId = new("client_id", "ENERGYTRADE_CLIENT_ID", "--client-id", ConfigValueKind.Text,
        "OAuth client: energytrade-cli for people (device sign-in), a confidential client for scripts", DefaultClientId);
    public static readonly ConfigKey Scope = new("scope", "ENERGYTRADE_SCOPE", "--scope", ConfigValueKind.Text,
        "Space-separated scopes to ask for. Default: all five and offline_access for a person; what the client is registered for with client credentials");
    public static readonly ConfigKey CaFile = new("ca_file", "ENERGYTRADE_CA_FILE", "--ca-file", ConfigValueKind.File,
        "PEM file of the CA that issued the services' (and the provider's) certificates, trusted besides the system's");
    public static readonly ConfigKey ClientCertificate = new("client_certificate", "ENERGYTRADE_CLIENT_CERTIFICATE", "--client-certificate", ConfigValueKind.File,
        "PEM certificate presented to https services that require mutual TLS");
    public static readonly ConfigKey ClientKey = new("client_key", "ENERGYTRADE_CLIENT_KEY", "--client-key", ConfigValueKind.File,
        "PEM private key of the client certificate (unencrypted). Default: in the certificate's file");

    public static readonly IReadOnlyList<ConfigKey> All = [ShipmentsUrl, TradeUrl, Authority, ClientId, Scope, CaFile, ClientCertificate, ClientKey];

    public static string Names => string.Join(", ", All.Select(k => k.Name));

    /// <summary>The key of that name, or a usage error listing the keys there are.</summary>
    public static ConfigKey Find(string name) =>
        All.FirstOrDefault(k => k.Name == name.Trim().ToLowerInvariant().Replace('-', '_'))
        ?? throw new Infrastructure.UsageException($"'{name}' is not a setting; the settings are {Names}.");
}
