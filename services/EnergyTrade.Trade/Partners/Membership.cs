using System.Globalization;

namespace EnergyTrade.Trade.Partners;

/// <summary>
/// One period in which <see cref="Country"/> belonged to a group: <see cref="First"/> to <see cref="Last"/>, both days
/// inclusive; Last is null while the membership lasts, and a configured period with no start begins on DateOnly.MinValue.
/// </summary>
/// <remarks>
/// The month rule, stated here and nowhere else: a country counts as a member for a month when it was a member on the
/// first day of that month. One that joins on the 1st counts from that month, one that joins later from the next month;
/// one that leaves mid-month still counts for the month it leaves in. Shipments are dated by month, so some single day
/// has to decide; the first puts a whole month on one side of a change (the Congo, admitted to OPEC on 22 June 2018, is not
/// a member for June), and makes each period a run of whole months that a query can filter on as a range.
/// </remarks>
public sealed record Membership(string Country, DateOnly First, DateOnly? Last)
{
    /// <summary>Whether the country counts for the month of <paramref name="month"/> (any day of it).</summary>
    public bool CountsFor(DateOnly month)
    {
        var firstDay = MonthOf(month);
        return First <= firstDay && (Last is not { } last || firstDay <= last);
    }

    /// <summary>The first month the rule counts this period for, null when no month begins within it.</summary>
    public DateOnly? FirstMonth =>
        First.Day == 1 ? First
        : First.Year == DateOnly.MaxValue.Year && First.Month == 12 ? null
        : MonthOf(First).AddMonths(1);

    /// <summary>The last month it counts for (the month of Last), null while it lasts.</summary>
    public DateOnly? LastMonth => Last is { } last ? MonthOf(last) : null;

    /// <summary>False for a period within one month that does not start on its 1st: the rule counts it for no month.</summary>
    public bool CountsForSomeMonth => FirstMonth is { } first && (LastMonth is not { } last || first <= last);

    /// <summary>As the file and configuration write it: 1973-01-01..2020-01-31, 2007-01-01.., ..2020-01-31.</summary>
    public string Period => $"{(First == DateOnly.MinValue ? "" : Day(First))}..{(Last is { } last ? Day(last) : "")}";

    public static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
