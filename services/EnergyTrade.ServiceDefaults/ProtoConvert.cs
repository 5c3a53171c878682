using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace EnergyTrade.ServiceDefaults;

/// <summary>
/// Exact conversions between google.type messages and .NET values. Nothing here goes through
/// double: money and quantities stay decimal end to end.
/// </summary>
public static class ProtoConvert
{
    public const string Usd = "USD";
    private const decimal NanosPerUnit = 1_000_000_000m;

    public static Google.Type.Decimal ToProtoDecimal(decimal value) =>
        new() { Value = value.ToString(CultureInfo.InvariantCulture) };

    /// <summary>Parses a google.type.Decimal (plain or exponent notation); false when it is not a number decimal can hold.</summary>
    public static bool TryParseDecimal(Google.Type.Decimal? proto, out decimal value)
    {
        value = 0;
        var text = proto?.Value;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64) return false;
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// USD as google.type.Money. A single shipment's value always fits (Limits.MaxValueUsd); a sum
    /// over millions of them may not, and is refused with <see cref="FigureOutOfRangeException"/>
    /// rather than wrapped round or reported as an internal error.
    /// </summary>
    public static Google.Type.Money ToProtoMoney(decimal usd)
    {
        var units = decimal.Truncate(usd);
        if (units > long.MaxValue || units < long.MinValue)
        {
            throw new FigureOutOfRangeException($"{usd.ToString("#,0.00", CultureInfo.InvariantCulture)} USD is beyond what google.type.Money can carry (±9,223,372,036,854,775,807 units).");
        }
        return new Google.Type.Money
        {
            CurrencyCode = Usd,
            Units = (long)units,
            Nanos = (int)((usd - units) * NanosPerUnit),
        };
    }

    public static decimal ToDecimal(Google.Type.Money money) => money.Units + money.Nanos / NanosPerUnit;

    /// <summary>Whether units and nanos form a valid Money (same sign, |nanos| below one unit).</summary>
    public static bool IsWellFormed(Google.Type.Money money) =>
        money.Nanos is > -1_000_000_000 and < 1_000_000_000 &&
        !(money.Units > 0 && money.Nanos < 0) && !(money.Units < 0 && money.Nanos > 0);

    public static Google.Type.Date ToProtoDate(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    /// <summary>A month as google.type.Date with day 0.</summary>
    public static Google.Type.Date ToProtoMonth(DateOnly month) => new() { Year = month.Year, Month = month.Month, Day = 0 };

    /// <summary>A full calendar date; false for partial dates (year or month or day 0) and impossible ones (2021-02-30).</summary>
    public static bool TryGetDate(Google.Type.Date? proto, out DateOnly date)
    {
        date = default;
        if (proto is null || proto.Year is < 1 or > 9999 || proto.Month is < 1 or > 12 || proto.Day < 1) return false;
        if (proto.Day > DateTime.DaysInMonth(proto.Year, proto.Month)) return false;
        date = new DateOnly(proto.Year, proto.Month, proto.Day);
        return true;
    }

    /// <summary>A month given as google.type.Date with day 0; returns its first day.</summary>
    public static bool TryGetMonth(Google.Type.Date? proto, out DateOnly firstDay)
    {
        firstDay = default;
        if (proto is null || proto.Year is < 1 or > 9999 || proto.Month is < 1 or > 12 || proto.Day != 0) return false;
        firstDay = new DateOnly(proto.Year, proto.Month, 1);
        return true;
    }

    public static Timestamp ToTimestamp(DateTimeOffset time) => Timestamp.FromDateTimeOffset(time);
}
