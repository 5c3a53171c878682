namespace EnergyTrade.Cli.Auth;

/// <summary>How a token shows where it must not be read: in the ToString of the records that carry one.</summary>
public static class Secrets
{
    public static string Redact(string? secret) => secret is null ? "null" : "[redacted]";
}
