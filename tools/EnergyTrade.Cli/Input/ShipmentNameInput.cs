namespace EnergyTrade.Cli.Input;

public static class ShipmentNameInput
{
    public const string Prefix = "shipments/";

    /// <summary>Ids are what people copy from a table; the API wants the full resource name.</summary>
    public static string ToResourceName(string? text) =>
        (text ?? "").Trim() is var name && name.StartsWith(Prefix, StringComparison.Ordinal) ? name : Prefix + name;
}
