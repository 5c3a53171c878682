namespace EnergyTrade.Contracts.Security;

/// <summary>
/// OAuth scopes, carried space-separated in the token's "scope" claim; each is also a policy name.
/// Stated here once, for the services that check them and the clients that ask for them.
/// </summary>
public static class Scopes
{
    /// <summary>Create, update, cancel and republish shipments.</summary>
    public const string ShipmentsWrite = "shipments:write";
    public const string ShipmentsRead = "shipments:read";
    public const string TradeRead = "trade:read";
    /// <summary>Operations on the whole store: republishing every shipment.</summary>
    public const string ShipmentsAdmin = "shipments:admin";
    /// <summary>Operating Trade's pipeline: dismissing refused events.</summary>
    public const string TradeAdmin = "trade:admin";

    public static readonly IReadOnlyList<string> All = [ShipmentsWrite, ShipmentsRead, TradeRead, ShipmentsAdmin, TradeAdmin];
}

/// <summary>The audience ("aud") every token for the EnergyTrade services names, and the only one they accept.</summary>
public static class TokenAudience
{
    public const string Value = "energytrade";
}

/// <summary>
/// The HS256 key of local development, shared by the services (Auth:SigningKey) and whoever mints
/// their tokens (the CLI's ENERGYTRADE_SIGNING_KEY): at least 256 bits, as HMAC-SHA256 asks.
/// </summary>
public static class SharedSigningKey
{
    public const int MinimumLength = 32;
}
