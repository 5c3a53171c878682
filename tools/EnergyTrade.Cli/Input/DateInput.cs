using System.Globalization;

namespace EnergyTrade.Cli.Input;

/// <summary>ISO 8601 calendar dates (2020-03-28) and months (2020-03), nothing culture-dependent.</summary>
public static class DateInput
{
    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static bool TryParseMonth(string? text, out DateOnly firstDay) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out firstDay);

    /// <summary>
    /// A date, or a whole month standing for its first day (start of a range) or its last day
    /// (end of a range), so "--from 2020-03 --to 2020-03" means all of March.
    /// </summary>
    public static bool TryParseDateOrMonth(string? text, bool endOfRange, out DateOnly date)
    {
        if (TryParseDate(text, out date)) return true;
        if (!TryParseMonth(text, out var first)) return false;
        date = endOfRange ? first.AddMonths(1).AddDays(-1) : first;
        return true;
    }

    public static string DescribeDate(string? text) => $"'{text}' is not a date in the form YYYY-MM-DD";
    public static string DescribeMonth(string? text) => $"'{text}' is not a month in the form YYYY-MM";
}
