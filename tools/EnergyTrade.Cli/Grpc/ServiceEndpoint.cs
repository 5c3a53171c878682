namespace EnergyTrade.Cli.Grpc;

/// <summary>Which service a call went to, so every error message can name it and its address.</summary>
public sealed record ServiceEndpoint(string Name, Uri Url)
{
    public const string ShipmentsName = "Shipments";
    public const string TradeName = "Trade";

    public override string ToString() => $"{Name} ({Url.ToString().TrimEnd('/')})";
}
