namespace EnergyTrade.Trade.Partners;

/// <summary>The partner groups cannot be loaded; <see cref="Problems"/> names each wrong entry and how to put it right.</summary>
public sealed class InvalidPartnerGroupsException(IReadOnlyList<string> problems) : Exception(Describe(problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    private static string Describe(IReadOnlyList<string> problems) =>
        "Trade cannot start: its partner groups are invalid. Correct each entry below; a configured group is set in appsettings*.json "
        + "or in environment variables (Trade:PartnerGroups:GCC:Members:SA is Trade__PartnerGroups__GCC__Members__SA), see docs/partner-groups.md."
        + string.Concat(problems.Select(p => Environment.NewLine + "- " + p));
}
