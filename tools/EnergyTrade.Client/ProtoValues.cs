using System.Globalization;

namespace EnergyTrade.Client;

/// <summary>
/// Exact conversions between C# values and google.type.Decimal / Money / Date. Figures never pass
/// through double: Decimal travels as its invariant string, Money as whole units plus nanos.
/// </summary>
public static class ProtoValues
{
    public const string Usd = "USD";

    public static Google.Type.Decimal Decimal(decimal value) => new() { Value = value.ToString(CultureInfo.InvariantCulture) };

    /// <summary>An unset or empty Decimal counts as zero, as proto3 defaults do.</summary>
    public static decimal ToDecimal(Google.Type.Decimal? value) =>
        value is null || string.IsNullOrEmpty(value.Value)
            ? 0m
            : decimal.Parse(value.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static Google.Type.Money Money(decimal usd)
    {
        var units = decimal.Truncate(usd);
        var nanos = (usd - units) * 1_000_000_000m;
        if (nanos != decimal.Truncate(nanos))
        {
            throw new ArgumentOutOfRangeException(nameof(usd), usd, "Money carries at most 9 decimal places.");
        }
        // units and nanos share the sign, as google.type.Money requires.
        return new Google.Type.Money { CurrencyCode = Usd, Units = (long)units, Nanos = (int)nanos };
    }

    public static decimal ToDecimal(Google.Type.Money? money) => money is null ? 0m : money.Units + money.Nanos / 1_000_000_000m;

    public static Google.Type.Date Date(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    /// <summary>A month is a Date with day 0 (google.type.Date's convention for a year and month).</summary>
    public static Google.Type.Date Month(DateOnly month) => new() { Year = month.Year, Month = month.Month, Day = 0 };

    public static string Format(Google.Type.Date? date) => date switch
    {
        null => "",
        { Year: 0 } => "",
        { Day: 0 } => $"{date.Year:0000}-{date.Month:00}",
        _ => $"{date.Year:0000}-{date.Month:00}-{date.Day:00}",
    };
}
