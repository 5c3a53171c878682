using EnergyTrade.ServiceDefaults;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>
/// The fields of Shipment a version changed, as proto field paths: every field but those that change
/// with every version or never (name, version, create_time, update_time), into the quantity as
/// <see cref="UpdateMask"/> does ("quantity.value"), in field-number order.
/// </summary>
public static class ChangedFields
{
    private static readonly HashSet<string> Unlisted = ["name", "version", "create_time", "update_time"];

    /// <summary>Paths whose values differ between the versions; for a create (<paramref name="before"/> null), the populated ones.</summary>
    public static IReadOnlyList<string> Between(V1.Shipment? before, V1.Shipment after)
    {
        var paths = new List<string>();
        Compare(before ?? new V1.Shipment(), after, "", paths);
        return paths;
    }

    private static void Compare(IMessage before, IMessage after, string prefix, List<string> paths)
    {
        foreach (var field in after.Descriptor.Fields.InFieldNumberOrder())
        {
            var path = prefix + field.Name;
            if (Unlisted.Contains(path)) continue;
            var was = field.Accessor.GetValue(before);
            var now = field.Accessor.GetValue(after);
            if (field.FieldType == FieldType.Message && UpdateMask.HasSubPaths(path))
            {
                var empty = field.MessageType.Parser.ParseFrom(ByteString.Empty);
                Compare(was as IMessage ?? empty, now as IMessage ?? empty, path + ".", paths);
            }
            else if (!Same(was, now))
            {
                paths.Add(path);
            }
        }
    }

    /// <summary>Decimals by value: 580000 and 580000.000 barrels are the same figure, whatever scale a conversion left.</summary>
    private static bool Same(object? was, object? now) => (was, now) switch
    {
        (Google.Type.Decimal a, Google.Type.Decimal b) when ProtoConvert.TryParseDecimal(a, out var x) && ProtoConvert.TryParseDecimal(b, out var y) => x == y,
        _ => Equals(was, now),
    };
}
