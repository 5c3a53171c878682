using EnergyTrade.ServiceDefaults;
using Google.Protobuf.WellKnownTypes;

namespace EnergyTrade.Shipments.Api;

/// <summary>Which fields an UpdateShipment may replace (AIP-134, AIP-161).</summary>
public static class UpdateMask
{
    private static readonly HashSet<string> Mutable =
    [
        "shipper", "exporter_country", "importer_country", "origin_country", "grade",
        "quantity", "quantity.value", "quantity.unit", "quantity.barrels_per_tonne",
        "value", "load_date", "delivery_date", "load_port", "discharge_port",
    ];

    private static readonly HashSet<string> OutputOnly =
        ["name", "barrels", "tonnes", "state", "version", "create_time", "update_time", "cancel_reason"];

    /// <summary>True for a full replacement (empty mask or "*"); otherwise validates every path.</summary>
    public static bool IsFullReplacement(FieldMask? mask, FieldViolations violations)
    {
        if (mask is null || mask.Paths.Count == 0 || mask.Paths is ["*"]) return true;
        foreach (var path in mask.Paths)
        {
            if (path == "*") violations.Add("update_mask", "\"*\" must be the only path.", "INVALID_MASK");
            else if (OutputOnly.Contains(path)) violations.Add("update_mask", $"'{path}' is output only and cannot be updated.", "OUTPUT_ONLY_FIELD");
            else if (!Mutable.Contains(path)) violations.Add("update_mask", $"'{path}' is not a field of Shipment that can be updated.", "UNKNOWN_FIELD");
        }
        return false;
    }
}
