namespace EnergyTrade.ServiceDefaults.Security;

/// <summary>OAuth scopes, carried space-separated in the token's "scope" claim; each is also a policy name.</summary>
public static class Scopes
{
    /// <summary>Create, update, cancel and republish shipments.</summary>
    public const string ShipmentsWrite = "shipments:write";
    public const string ShipmentsRead = "shipments:read";
    public const string TradeRead = "trade:read";

    public static readonly IReadOnlyList<string> All = [ShipmentsWrite, ShipmentsRead, TradeRead];
}
