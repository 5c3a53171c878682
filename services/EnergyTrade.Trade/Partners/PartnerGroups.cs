using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace EnergyTrade.Trade.Partners;

/// <summary>
/// The partner codes that stand for several countries: WORLD, built in, every country; the groups of partner-groups.json
/// (EU27, EU, OPEC, OPEC_PLUS); and those of configuration section Trade:PartnerGroups. A configured group with a new
/// code adds a group; one with the code of a file group replaces that group's members, all of them, so what configuration
/// says is the whole group and never a mix whose other half is in the file. It keeps the file's name unless it sets one.
/// </summary>
public sealed class PartnerGroups
{
    public const string World = "WORLD";
    public const string SectionName = "Trade:PartnerGroups";

    private readonly FrozenDictionary<string, PartnerSet> _sets;

    private PartnerGroups(string version, IReadOnlyList<PartnerGroup> groups)
    {
        Version = version;
        All = groups;
        _sets = groups.Select(PartnerSet.Of).Append(PartnerSet.World).ToFrozenDictionary(s => s.Code, StringComparer.Ordinal);
    }

    /// <summary>The version of partner-groups.json, e.g. 2026-12-01.</summary>
    public string Version { get; }

    /// <summary>Every group with a member list, file and configured, ordered by code. WORLD has none and is not among them.</summary>
    public IEnumerable<PartnerGroup> All { get; }

    /// <summary>The set a partner code stands for; codes are upper case, like country codes, and compared exactly.</summary>
    public bool TryGet(string code, [MaybeNullWhen(false)] out PartnerSet set) => _sets.TryGetValue(code, out set);

    /// <summary>The embedded file's groups with those of <paramref name="configuration"/>'s Trade:PartnerGroups.</summary>
    /// <exception cref="InvalidPartnerGroupsException">An entry is wrong; the message names every one.</exception>
    public static PartnerGroups Load(IConfiguration configuration)
    {
        using var file = PartnerGroupsFile.Open();
        return Load(file, configuration.GetSection(SectionName));
    }

    internal static PartnerGroups Load(Stream file, IConfigurationSection configured)
    {
        var problems = new List<string>();
        var (version, listed) = PartnerGroupsFile.Read(file, problems);
        var groups = new Dictionary<string, PartnerGroup>(StringComparer.Ordinal);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var draft in listed)
        {
            if (!codes.Add(draft.Code)) problems.Add($"{draft.Where}: the code {draft.Code} is used by an earlier group too; give each group its own code.");
            else if (PartnerGroupRules.Build(draft, draft.Name ?? draft.Code, problems) is { } group) groups[group.Code] = group;
        }
        foreach (var draft in ConfiguredPartnerGroups.Read(configured, problems))
        {
            var replaced = groups.GetValueOrDefault(draft.Code);
            var comment = replaced is null
                ? $"Set by configuration {draft.Where}."
                : $"Set by configuration {draft.Where}, replacing the members of {PartnerGroupsFile.Name} {version}.";
            var name = string.IsNullOrWhiteSpace(draft.Name) ? replaced?.Name ?? draft.Code : draft.Name;
            if (PartnerGroupRules.Build(draft with { Comment = comment }, name, problems) is { } group) groups[group.Code] = group;
        }
        if (problems.Count > 0) throw new InvalidPartnerGroupsException(problems);
        return new PartnerGroups(version, [.. groups.Values.OrderBy(g => g.Code, StringComparer.Ordinal)]);
    }
}
