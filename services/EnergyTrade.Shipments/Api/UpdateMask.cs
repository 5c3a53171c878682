using EnergyTrade.ServiceDefaults;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>Which fields an UpdateShipment replaces (AIP-134, AIP-161).</summary>
public static class UpdateMask
{
    private static readonly HashSet<string> OutputOnly =
        ["name", "barrels", "tonnes", "state", "version", "create_time", "update_time", "cancel_reason"];

    /// <summary>Every other field of Shipment, read from the proto, and the fields of its quantity: a new field is updatable without a change here.</summary>
    private static readonly HashSet<string> Mutable =
    [
        .. V1.Shipment.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name).Where(name => !OutputOnly.Contains(name)),
        .. V1.Quantity.Descriptor.Fields.InDeclarationOrder().Select(f => "quantity." + f.Name),
    ];

    /// <summary>The messages whose fields are paths of their own (quantity). After <see cref="Mutable"/>, which it is read from.</summary>
    private static readonly HashSet<string> Parents = [.. Mutable.Where(p => p.Contains('.')).Select(p => p[..p.LastIndexOf('.')])];

    /// <summary>
    /// The paths an update replaces, or null for a full replacement ("*"). Without a mask, the paths
    /// are those the patch populates (AIP-134), so a client that sends only the corrected quantity
    /// keeps every other field; clearing an optional field takes an explicit mask naming it.
    /// </summary>
    public static FieldMask? Resolve(FieldMask? mask, V1.Shipment patch, FieldViolations violations)
    {
        if (mask is null || mask.Paths.Count == 0)
        {
            var implied = new FieldMask();
            implied.Paths.AddRange(Populated(patch, ""));
            return implied;
        }
        if (mask.Paths is ["*"]) return null;
        foreach (var path in mask.Paths)
        {
            if (path == "*") violations.Add("update_mask", "\"*\" must be the only path.", "INVALID_MASK");
            else if (OutputOnly.Contains(path)) violations.Add("update_mask", $"'{path}' is output only and cannot be updated.", "OUTPUT_ONLY_FIELD");
            else if (!Mutable.Contains(path)) violations.Add("update_mask", $"'{Clip(path)}' is not a field of Shipment that can be updated.", "UNKNOWN_FIELD");
        }
        return mask;
    }

    /// <summary>The mutable paths set in <paramref name="message"/>, descending into messages whose sub-fields are mutable on their own (quantity).</summary>
    private static IEnumerable<string> Populated(IMessage message, string prefix)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var path = prefix + field.Name;
            if (!Mutable.Contains(path)) continue;
            var value = field.Accessor.GetValue(message);
            if (field.FieldType == FieldType.Message && value is IMessage nested && HasSubPaths(path))
            {
                foreach (var inner in Populated(nested, path + ".")) yield return inner;
            }
            else if (IsSet(value))
            {
                yield return path;
            }
        }
    }

    /// <summary>Whether the fields of the message at <paramref name="path"/> are paths of their own (quantity's are).</summary>
    public static bool HasSubPaths(string path) => Parents.Contains(path);

    private static bool IsSet(object? value) => value switch
    {
        null => false,
        string s => s.Length > 0,
        System.Enum e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture) != 0,
        long l => l != 0,
        int i => i != 0,
        bool b => b,
        _ => true,
    };

    private static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
