using EnergyTrade.Contracts;

namespace EnergyTrade.Shipments.Data;

/// <summary>Parsing the resource names of the form "shipments/{id}" (AIP-122), formatted by the contract both services share (<see cref="ShipmentResourceNames"/>).</summary>
public static class ShipmentNames
{
    public const string Prefix = ShipmentResourceNames.Prefix;

    public static string Format(Guid id) => ShipmentResourceNames.Format(id);

    /// <summary>A revision's name (AIP-162): "shipments/{id}@{version}".</summary>
    public static string FormatRevision(Guid id, long version) =>
        Format(id) + "@" + version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParse(string? name, out Guid id)
    {
        id = Guid.Empty;
        // Exactly 36 characters after the prefix: Guid parsing alone would accept surrounding
        // whitespace, and a resource has one spelling only.
        return name is not null
            && name.Length == Prefix.Length + 36
            && name.StartsWith(Prefix, StringComparison.Ordinal)
            && !char.IsWhiteSpace(name[Prefix.Length]) && !char.IsWhiteSpace(name[^1])
            && Guid.TryParseExact(name.AsSpan(Prefix.Length), "D", out id);
    }
}
