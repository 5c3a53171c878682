using Google.Protobuf;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// Proto messages in the canonical proto3 JSON mapping (field names in lowerCamelCase, decimals as
/// strings, int64 as strings), the same shape grpcurl prints, so scripts can use either.
/// </summary>
public static class JsonOutput
{
    // Zeros and empty lists are printed too, so a script finds every field in every answer.
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    private static readonly JsonFormatter LineFormatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static string Format(IMessage message) => Formatter.Format(message);

    /// <summary>The same on one line, for streams: one message per line (JSON Lines).</summary>
    public static string FormatLine(IMessage message) => LineFormatter.Format(message);
}
