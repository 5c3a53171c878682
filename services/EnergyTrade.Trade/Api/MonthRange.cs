using EnergyTrade.ServiceDefaults;

namespace EnergyTrade.Trade.Api;

/// <summary>An inclusive range of months, either end open.</summary>
public sealed record MonthRange(DateOnly? First, DateOnly? Last)
{
    public bool Contains(DateOnly month) => (First is not { } first || month >= first) && (Last is not { } last || month <= last);

    /// <summary>Calendar days from the first day of First to the last day of Last; null when either end is open.</summary>
    public int? Days => First is { } first && Last is { } last ? DaysBetween(first, last) : null;

    /// <summary>Calendar days of the months from <paramref name="first"/> to <paramref name="last"/>, both whole.</summary>
    public static int DaysBetween(DateOnly first, DateOnly last) =>
        new DateOnly(last.Year, last.Month, DateTime.DaysInMonth(last.Year, last.Month)).DayNumber - new DateOnly(first.Year, first.Month, 1).DayNumber + 1;

    public static MonthRange Parse(Google.Type.Date? first, Google.Type.Date? last, string firstField, string lastField, FieldViolations violations)
    {
        DateOnly? from = null, to = null;
        if (first is not null)
        {
            if (ProtoConvert.TryGetMonth(first, out var m)) from = m;
            else violations.Add(firstField, "must be a month: a Date with year, month (1–12) and day 0.", "INVALID_MONTH");
        }
        if (last is not null)
        {
            if (ProtoConvert.TryGetMonth(last, out var m)) to = m;
            else violations.Add(lastField, "must be a month: a Date with year, month (1–12) and day 0.", "INVALID_MONTH");
        }
        if (from > to) violations.Add(lastField, $"{to:yyyy-MM} is before {firstField} {from:yyyy-MM}.", "EMPTY_RANGE");
        return new MonthRange(from, to);
    }
}
