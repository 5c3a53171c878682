namespace EnergyTrade.Cli.Auth;

/// <summary>The OAuth scopes the services check, one per kind of call.</summary>
public static class Scopes
{
    public const string ShipmentsWrite = "shipments:write";
    public const string ShipmentsRead = "shipments:read";
    public const string TradeRead = "trade:read";
    public const string ShipmentsAdmin = "shipments:admin";
    public const string TradeAdmin = "trade:admin";

    public static readonly IReadOnlyList<string> All = [ShipmentsWrite, ShipmentsRead, TradeRead, ShipmentsAdmin, TradeAdmin];
}
