namespace EnergyTrade.ServiceDefaults.Security;

/// <summary>OAuth scopes, carried space-separated in the token's "scope" claim; each is also a policy name.</summary>
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
