using System.Collections.Frozen;

namespace EnergyTrade.Trade.Partners;

/// <summary>What a partner code stands for in a query: WORLD (every country) or a group's members month by month.</summary>
public sealed class PartnerSet
{
    private readonly FrozenDictionary<string, Membership[]> _periods;
    private readonly IReadOnlyList<(string Country, DateOnly First, DateOnly? Last)> _spans;

    private PartnerSet(string code, PartnerGroup? group)
    {
        Code = code;
        Group = group;
        var members = group?.Members ?? [];
        _periods = members.GroupBy(m => m.Country, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _spans = Spans(members);
    }

    internal static PartnerSet World { get; } = new(PartnerGroups.World, null);

    internal static PartnerSet Of(PartnerGroup group) => new(group.Code, group);

    public string Code { get; }

    /// <summary>The group behind the set; null for WORLD.</summary>
    public PartnerGroup? Group { get; }

    public bool IsWorld => Group is null;

    /// <summary>
    /// Whether <paramref name="country"/> counts as a member for the month of <paramref name="month"/> (any day of it
    /// stands for its month) under the rule on <see cref="Membership"/>. Always true for WORLD.
    /// </summary>
    public bool Contains(string country, DateOnly month) =>
        IsWorld || _periods.TryGetValue(country, out var periods) && periods.Any(p => p.CountsFor(month));

    /// <summary>Whether <paramref name="country"/> counts for any month at all; always true for WORLD.</summary>
    public bool EverIncludes(string country) => IsWorld || _periods.ContainsKey(country);

    /// <summary>
    /// Per member, the inclusive runs of months (first-of-month dates; Last null while it lasts) in which it counts, ordered
    /// by country and month; runs of one country neither overlap nor touch. A query can filter on these as month ranges:
    /// a month counts exactly when Contains says so. WORLD has no member list: check IsWorld and leave the partner unfiltered.
    /// </summary>
    public IReadOnlyList<(string Country, DateOnly First, DateOnly? Last)> MonthSpans() =>
        IsWorld ? throw new InvalidOperationException("WORLD stands for every country and has no member list: check IsWorld and leave the partner unfiltered.") : _spans;

    private static List<(string Country, DateOnly First, DateOnly? Last)> Spans(IEnumerable<Membership> members)
    {
        var spans = new List<(string Country, DateOnly First, DateOnly? Last)>();
        foreach (var m in members.Where(m => m.CountsForSomeMonth).OrderBy(m => m.Country, StringComparer.Ordinal).ThenBy(m => m.First))
        {
            var first = m.FirstMonth!.Value;
            // Periods that leave no month between them (one ends in May, the next begins in June) are one run to a query.
            if (spans.Count > 0 && spans[^1] is var (country, start, last) && country == m.Country && last?.AddMonths(1) == first)
            {
                spans[^1] = (country, start, m.LastMonth);
            }
            else
            {
                spans.Add((m.Country, first, m.LastMonth));
            }
        }
        return spans;
    }
}
