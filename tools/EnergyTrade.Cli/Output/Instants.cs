using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// Instants the user asked about (as of, since, until) and the times versions were recorded: UTC,
/// with every digit of the fraction the service sent, so the end of a day (23:59:59.999999) is not
/// shown as a second that excludes most of it.
/// </summary>
public static class Instants
{
    /// <summary>"2020-05-10 23:59:59.999999 UTC", "2020-05-20 09:30:00 UTC"; "" when unset.</summary>
    public static string Format(Timestamp? instant)
    {
        if (instant is null) return "";
        var seconds = DateTimeOffset.FromUnixTimeSeconds(instant.Seconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = instant.Nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return fraction.Length == 0 ? $"{seconds} UTC" : $"{seconds}.{fraction} UTC";
    }

    /// <summary>", as of …" for a title when the answer is as of an instant; "" for today's figures.</summary>
    public static string AsOf(Timestamp? asOf) => asOf is null ? "" : $", as of {Format(asOf)}";
}
