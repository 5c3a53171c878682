using System.Globalization;
using EnergyTrade.Cli.Grpc;

namespace EnergyTrade.Cli.Csv;

/// <summary>
/// Figures as CSV fields for spreadsheets and scripts: exactly what the service sent, in the invariant
/// culture, without thousands separators or units, and empty when it sent nothing.
/// </summary>
public static class CsvFields
{
    /// <summary>The Decimal's own string ("3830000.000"), never reformatted: its digits are the service's.</summary>
    public static string Exact(Google.Type.Decimal? value) => value?.Value ?? "";

    /// <summary>A thousandth of the figure, still exact (31652.893 bbl/d is 31.652893 kb/d).</summary>
    public static string Thousandths(Google.Type.Decimal? value) =>
        value is { Value.Length: > 0 } ? (ProtoValues.ToDecimal(value) / 1000m).ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>Dollars with the cents the Money carries: "25000000.25", "-52600000".</summary>
    public static string Usd(Google.Type.Money? money) => money is null ? "" : ProtoValues.ToDecimal(money).ToString(CultureInfo.InvariantCulture);

    public static string Count(long count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>"2020-03" for a month (day 0), "2020-03-28" for a day.</summary>
    public static string Date(Google.Type.Date? date) => ProtoValues.Format(date);
}
