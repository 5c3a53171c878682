using CsCheck;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>google.type.Date across years 1–9999: recent trade, any day of any year, 29 February in leap and common years, days that do not exist.</summary>
public static class DateGen
{
    public static Google.Type.Date Day(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    public static Gen<Google.Type.Date> RealDay(int firstYear, int lastYear) => Gen.Select(Gen.Int[firstYear, lastYear], Gen.Int[1, 12], Gen.Int[1, 31],
        (year, month, day) => Day(year, month, Math.Min(day, DateTime.DaysInMonth(year, month))));

    public static readonly Gen<Google.Type.Date> Recent = RealDay(2015, 2026);

    public static readonly Gen<Google.Type.Date> Clean = Gen.Frequency((4, Recent), (1, RealDay(1, 9999)));

    /// <summary>Leap years (2020, 2000, 2400, 4, 9996) and common ones (1900, 2100, 2021, 9999, 1).</summary>
    public static readonly Gen<Google.Type.Date> LeapDay = Gen.OneOf(2020, 2000, 2400, 1600, 4, 9996, 1900, 2100, 2021, 9999, 1).Select(y => Day(y, 2, 29));

    public static readonly Gen<Google.Type.Date> Edge =
        Gen.OneOf(Day(1, 1, 1), Day(9999, 12, 31), Day(9999, 12, 30), Day(1, 1, 2), Day(1, 12, 31), Day(2000, 1, 1));

    public static readonly Gen<Google.Type.Date> Impossible = Gen.OneOf(
        Day(2021, 4, 31), Day(2021, 6, 0), Day(2021, 1, 32), Day(2021, 0, 10), Day(2021, 13, 1), Day(0, 1, 1), Day(10_000, 1, 1),
        Day(-1, 5, 5), Day(2021, 5, -3), Day(2021, 0, 0), Day(0, 0, 0), Day(int.MaxValue, int.MaxValue, int.MaxValue), Day(2021, 2, 30));

    public static readonly Gen<Google.Type.Date?> AnyLoad = Gen.Frequency(
        (60, Clean.Select(d => (Google.Type.Date?)d)),
        (8, LeapDay.Select(d => (Google.Type.Date?)d)),
        (4, Edge.Select(d => (Google.Type.Date?)d)),
        (8, Impossible.Select(d => (Google.Type.Date?)d)),
        (3, Gen.Const<Google.Type.Date?>(() => null)));

    /// <summary>A delivery date for <paramref name="load"/>: none, on or after it, before it, or any date at all.</summary>
    public static Gen<Google.Type.Date?> Delivery(Google.Type.Date? load) => Gen.Frequency(
        (50, Gen.Const<Google.Type.Date?>(() => null)),
        (30, Gen.Int[0, 90].Select(days => Shift(load, days))),
        (8, Gen.Int[1, 40].Select(days => Shift(load, -days))),
        (12, AnyLoad));

    public static Gen<Google.Type.Date?> CleanDelivery(Google.Type.Date load) => Gen.Frequency(
        (60, Gen.Const<Google.Type.Date?>(() => null)),
        (40, Gen.Int[0, 90].Select(days => Shift(load, days))));

    private static Google.Type.Date? Shift(Google.Type.Date? date, int days)
    {
        if (date is null || !Real(date, out var day)) return date;
        var shifted = days >= 0 && day > DateOnly.MaxValue.AddDays(-days) ? DateOnly.MaxValue
            : days < 0 && day < DateOnly.MinValue.AddDays(-days) ? DateOnly.MinValue
            : day.AddDays(days);
        return Day(shifted.Year, shifted.Month, shifted.Day);
    }

    public static bool Real(Google.Type.Date? date, out DateOnly day)
    {
        day = default;
        if (date is null || date.Year is < 1 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1) return false;
        if (date.Day > DateTime.DaysInMonth(date.Year, date.Month)) return false;
        day = new DateOnly(date.Year, date.Month, date.Day);
        return true;
    }
}
