using System.Globalization;
using System.Text.RegularExpressions;
using EnergyTrade.Contracts;

namespace EnergyTrade.Trade.Partners;

/// <summary>
/// The checks every group passes, from the file or from configuration. Each problem names its entry and says how to put
/// it right, and all are collected so that one failed start reports every wrong entry.
/// </summary>
internal static partial class PartnerGroupRules
{
    /// <summary>
    /// A partner is a country code or a group code, so the two must never coincide: a group code is not an assigned ISO
    /// 3166-1 code. Two letters are allowed for EU, which ISO 3166-1 reserves for the European Union and gives no country.
    /// </summary>
    [GeneratedRegex(@"^[A-Z0-9_]{2,16}\z")]
    private static partial Regex CodeShape();

    public static PartnerGroup? Build(GroupDraft draft, string name, List<string> problems)
    {
        var valid = IsCode(draft.Code, draft.Where, problems);
        if (draft.Members.Count == 0) problems.Add($"{draft.Where}: the group lists no members; give it at least one country with its periods.");
        var members = new List<Membership>();
        foreach (var member in draft.Members) valid &= AddMember(member, members, problems);
        if (!valid || draft.Members.Count == 0) return null;
        var ordered = members.OrderBy(m => m.Country, StringComparer.Ordinal).ThenBy(m => m.First).ToList();
        return new PartnerGroup(draft.Code, name, draft.Comment, draft.Sources, ordered);
    }

    private static bool IsCode(string code, string where, List<string> problems)
    {
        if (code == PartnerGroups.World)
        {
            problems.Add($"{where}: WORLD is built in (every country) and cannot be redefined; give the group another code.");
            return false;
        }
        if (!CodeShape().IsMatch(code))
        {
            problems.Add($"{where}: '{code}' is not a group code; use 2 to 16 characters of A-Z, 0-9 and '_', in upper case (e.g. GCC, OPEC_PLUS).");
            return false;
        }
        if (CountryCodes.IsAssigned(code))
        {
            problems.Add($"{where}: '{code}' is a country's ISO 3166-1 code, and a partner so named would be that country; give the group a code that is no country's (e.g. {code}_GROUP).");
            return false;
        }
        return true;
    }

    private static bool AddMember(MemberDraft member, List<Membership> members, List<string> problems)
    {
        if (!CountryCodes.IsAssigned(member.Country))
        {
            problems.Add($"{member.Where}: '{member.Country}' is not an officially assigned ISO 3166-1 alpha-2 code; name the member by its upper-case two-letter code (GB, not UK or gb).");
            return false;
        }
        var periods = new List<Membership>();
        foreach (var text in (member.Periods ?? "").Split(',', StringSplitOptions.TrimEntries))
        {
            if (Parse(member.Country, text) is not { } period)
            {
                problems.Add($"{member.Where}: '{text}' is not a period; write FIRST..LAST in days as yyyy-MM-dd, leaving LAST out while the membership lasts (1973-01-01..2020-01-31, 2007-01-01..), and separate several periods with commas.");
                return false;
            }
            if (period.Last < period.First)
            {
                problems.Add($"{member.Where}: {period.Period} ends before it starts; correct its days.");
                return false;
            }
            if (!period.CountsForSomeMonth)
            {
                problems.Add($"{member.Where}: {period.Period} contains no first day of a month, so it counts for no month (a country counts for a month when it is a member on the month's first day); remove it or correct its days.");
                return false;
            }
            periods.Add(period);
        }
        periods.Sort((a, b) => a.First.CompareTo(b.First));
        for (var i = 1; i < periods.Count; i++)
        {
            if (periods[i - 1].Last is not { } end || end >= periods[i].First)
            {
                problems.Add($"{member.Where}: {periods[i - 1].Period} and {periods[i].Period} overlap; a country's periods in a group must not share a day, so end the first before the second starts or write them as one.");
                return false;
            }
        }
        members.AddRange(periods);
        return true;
    }

    /// <summary>FIRST..LAST; an empty FIRST is open (DateOnly.MinValue), an empty LAST lasting.</summary>
    private static Membership? Parse(string country, string text)
    {
        if (text.Split("..", StringSplitOptions.TrimEntries) is not [var from, var to]) return null;
        DateOnly? first = from.Length == 0 ? DateOnly.MinValue : Day(from);
        DateOnly? last = to.Length == 0 ? null : Day(to);
        if (first is null || to.Length > 0 && last is null) return null;
        return new Membership(country, first.Value, last);
    }

    private static DateOnly? Day(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
