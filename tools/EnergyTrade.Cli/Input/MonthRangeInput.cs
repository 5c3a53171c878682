namespace EnergyTrade.Cli.Input;

/// <summary>--from / --to as whole months (YYYY-MM), checked the same way by every trade command.</summary>
public static class MonthRangeInput
{
    /// <summary>Adds a problem for each bad month, a reversed range and, when <paramref name="requiredFor"/> is given, a missing end.</summary>
    /// <param name="requiredFor">Why both months are needed, e.g. "for a series"; null when either may be left out.</param>
    public static void Check(string? from, string? to, List<string> problems, string? requiredFor = null)
    {
        if (from is { } f && !DateInput.TryParseMonth(f, out _)) problems.Add($"--from {DateInput.DescribeMonth(f)}.");
        if (to is { } t && !DateInput.TryParseMonth(t, out _)) problems.Add($"--to {DateInput.DescribeMonth(t)}.");
        if (requiredFor is not null)
        {
            if (from is null) problems.Add($"--from is required {requiredFor}.");
            if (to is null) problems.Add($"--to is required {requiredFor}.");
        }
        if (Parse(from) is { } first && Parse(to) is { } last && first > last) problems.Add($"--from {first:yyyy-MM} is after --to {last:yyyy-MM}.");
    }

    /// <summary>The service's limit on a month-by-month answer (a series, a revision report).</summary>
    public const int MaxMonthByMonth = 600;

    /// <summary>Adds a problem when a valid range spans more than <see cref="MaxMonthByMonth"/> months; <paramref name="holder"/> names what holds them ("a series").</summary>
    public static void CheckMonthByMonth(string? from, string? to, string holder, List<string> problems)
    {
        if (Parse(from) is { } first && Parse(to) is { } last && first <= last && Count(first, last) > MaxMonthByMonth)
        {
            problems.Add($"--from {first:yyyy-MM} --to {last:yyyy-MM} spans {Count(first, last):#,0} months; {holder} holds at most {MaxMonthByMonth}.");
        }
    }

    /// <summary>The first day of the month, or null when not given or not a month.</summary>
    public static DateOnly? Parse(string? text) => DateInput.TryParseMonth(text, out var month) ? month : null;

    /// <summary>Months from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public static int Count(DateOnly first, DateOnly last) => (last.Year - first.Year) * 12 + last.Month - first.Month + 1;

    /// <summary>"2020-01 to 2020-04", "from 2020-01", "up to 2020-04", "2020-03" or "all months".</summary>
    public static string Describe(string first, string last) => (first, last) switch
    {
        ("", "") => "all months",
        (var f, "") => $"from {f}",
        ("", var l) => $"up to {l}",
        var (f, l) when f == l => f,
        var (f, l) => $"{f} to {l}",
    };
}
