namespace EnergyTrade.Trade.Partners;

/// <summary>
/// A named set of partner countries whose membership changes over time, from partner-groups.json or from configuration.
/// </summary>
/// <param name="Code">What a query names as its partner, e.g. OPEC.</param>
/// <param name="Members">Every period of every member, ordered by country and then by start; a country's periods do not overlap.</param>
public sealed record PartnerGroup(string Code, string Name, string? Comment, IReadOnlyList<string> Sources, IReadOnlyList<Membership> Members)
{
    /// <summary>The countries that were ever members, each once.</summary>
    public IEnumerable<string> Countries => Members.Select(m => m.Country).Distinct();
}
