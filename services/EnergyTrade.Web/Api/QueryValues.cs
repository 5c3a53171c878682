using System.Globalization;

namespace EnergyTrade.Web.Api;

/// <summary>Reads the page's query parameters: months as YYYY-MM, codes in capitals, names trimmed.</summary>
public static class QueryValues
{
    public static string Required(this IQueryCollection query, string name) =>
        Optional(query, name) is { Length: > 0 } value ? value : throw new BadQueryException($"'{name}' is required.");

    public static string Optional(this IQueryCollection query, string name) => query[name].ToString().Trim();

    public static string Code(this IQueryCollection query, string name) => Required(query, name).ToUpperInvariant();

    /// <summary>A month as its first day.</summary>
    public static DateOnly Month(this IQueryCollection query, string name) =>
        ParseMonth(Required(query, name)) ?? throw new BadQueryException($"'{name}' must be a month as YYYY-MM between 1000-01 and 9990-12, e.g. 2020-01.");

    public static DateOnly? OptionalMonth(this IQueryCollection query, string name) =>
        Optional(query, name) is { Length: > 0 } text
            ? ParseMonth(text) ?? throw new BadQueryException($"'{name}' must be a month as YYYY-MM between 1000-01 and 9990-12, e.g. 2020-01.")
            : null;

    public static string Text(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Years 1000–9990: room for the year earlier and a long voyage before, and for the month after.</summary>
    private static DateOnly? ParseMonth(string text) =>
        DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) && month.Year is >= 1000 and <= 9990
            ? month
            : null;
}
