using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// Proto messages in the canonical proto3 JSON mapping (field names in lowerCamelCase, decimals as
/// strings, int64 as strings), the same shape grpcurl prints, so scripts can use either.
/// </summary>
public static class JsonOutput
{
    // The messages an Any may hold (a long-running operation's metadata and response).
    private static readonly TypeRegistry Types = TypeRegistry.FromMessages(
        EnergyTrade.Shipments.V1.RepublishShipmentsMetadata.Descriptor, EnergyTrade.Shipments.V1.RepublishShipmentsResponse.Descriptor);

    // Zeros and empty lists are printed too, so a script finds every field in every answer.
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation().WithTypeRegistry(Types));

    private static readonly JsonFormatter LineFormatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithTypeRegistry(Types));

    public static string Format(IMessage message) => Formatter.Format(message);

    /// <summary>The same on one line, for streams: one message per line (JSON Lines).</summary>
    public static string FormatLine(IMessage message) => LineFormatter.Format(message);
}
