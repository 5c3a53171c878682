namespace EnergyTrade.Shipments.Data;

/// <summary>Resource names of the form "shipments/{id}" (AIP-122).</summary>
public static class ShipmentNames
{
    public const string Prefix = "shipments/";

    public static string Format(Guid id) => Prefix + id.ToString("D");

    public static bool TryParse(string? name, out Guid id)
    {
        id = Guid.Empty;
        return name is not null
            && name.StartsWith(Prefix, StringComparison.Ordinal)
            && Guid.TryParseExact(name.AsSpan(Prefix.Length), "D", out id);
    }
}
