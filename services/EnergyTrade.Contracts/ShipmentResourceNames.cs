namespace EnergyTrade.Contracts;

/// <summary>A shipment's resource name, "shipments/{id}" (AIP-122): how Shipments names it, and how Trade refers to it.</summary>
public static class ShipmentResourceNames
{
    public const string Prefix = "shipments/";

    public static string Format(Guid id) => Prefix + id.ToString("D");
}
