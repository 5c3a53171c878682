using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnergyTrade.Trade.Partners;

/// <summary>
/// partner-groups.json, the groups Trade ships with. Embedded rather than copied beside the binary: the groups that
/// answer queries are the ones the tests checked, with no file for a deployment to lose or let drift.
/// </summary>
internal static class PartnerGroupsFile
{
    public const string Name = "partner-groups.json";
    private const string ResourceName = "EnergyTrade.Trade.Partners.partner-groups.json";

    // Strict, because a misspelt field or a country listed twice would otherwise be dropped in silence.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    public static Stream Open() => typeof(PartnerGroupsFile).Assembly.GetManifestResourceStream(ResourceName)
        ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(PartnerGroupsFile).Assembly.GetName().Name}: the Trade project must embed Partners/{Name}.");

    public static (string Version, IReadOnlyList<GroupDraft> Groups) Read(Stream json, List<string> problems)
    {
        Contents? contents;
        try
        {
            contents = JsonSerializer.Deserialize<Contents>(json, Options);
        }
        catch (JsonException ex)
        {
            problems.Add($"{Name} at {ex.Path}: {ex.Message} Correct services/EnergyTrade.Trade/Partners/{Name}.");
            return ("", []);
        }
        if (contents is null)
        {
            problems.Add($"{Name}: holds no groups; it must be an object with version, comment and groups.");
            return ("", []);
        }
        if (!DateOnly.TryParseExact(contents.Version, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            problems.Add($"{Name}: version '{contents.Version}' is not a day; write the day of the revision as yyyy-MM-dd.");
        }
        var drafts = new List<GroupDraft>();
        foreach (var group in contents.Groups)
        {
            var where = $"{Name} group {group.Code}";
            foreach (var country in group.Notes?.Keys.Except(group.Members.Keys) ?? [])
            {
                problems.Add($"{where}: has a note on {country}, which it does not list as a member; add the member or remove the note.");
            }
            var members = group.Members.Select(m => new MemberDraft($"{where} member {m.Key}", m.Key, m.Value)).ToList();
            drafts.Add(new GroupDraft(group.Code, where, group.Name, group.Comment, group.Sources, members));
        }
        return (contents.Version, drafts);
    }

    private sealed record Contents(string Version, string Comment, IReadOnlyList<Group> Groups);

    /// <param name="Notes">Per member, what its dates rest on where a source is less precise than a day.</param>
    private sealed record Group(string Code, string Name, string Comment, IReadOnlyList<string> Sources,
        Dictionary<string, string> Members, Dictionary<string, string>? Notes = null);
}
