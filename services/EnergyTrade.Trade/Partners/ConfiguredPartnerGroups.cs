namespace EnergyTrade.Trade.Partners;

/// <summary>
/// Groups set in configuration: <c>Trade:PartnerGroups:CODE:Name</c> (optional) and one
/// <c>Trade:PartnerGroups:CODE:Members:COUNTRY</c> = periods per member. Keyed by code and country rather than as
/// arrays, so that an environment variable can set one member and configuration sources cannot merge lists by index.
/// </summary>
internal static class ConfiguredPartnerGroups
{
    public static IReadOnlyList<GroupDraft> Read(IConfigurationSection section, List<string> problems)
    {
        var drafts = new List<GroupDraft>();
        foreach (var group in section.GetChildren())
        {
            string? name = null;
            var members = new List<MemberDraft>();
            if (group.Value is not null)
            {
                problems.Add($"{group.Path}: a group is a section, not a value; set {group.Path}:Members:<COUNTRY> = <periods> for each member, and {group.Path}:Name if you like.");
                continue;
            }
            foreach (var setting in group.GetChildren())
            {
                if (setting.Key.Equals("Name", StringComparison.OrdinalIgnoreCase)) name = setting.Value;
                else if (setting.Key.Equals("Members", StringComparison.OrdinalIgnoreCase)) Members(setting, members, problems);
                else problems.Add($"{setting.Path}: a group has no setting '{setting.Key}'; it takes Name and Members.");
            }
            drafts.Add(new GroupDraft(group.Key, group.Path, name, null, [$"configuration {group.Path}"], members));
        }
        return drafts;
    }

    private static void Members(IConfigurationSection section, List<MemberDraft> members, List<string> problems)
    {
        if (section.Value is not null)
        {
            problems.Add($"{section.Path}: Members is a section with one setting per member, {section.Path}:<COUNTRY> = <periods> (e.g. {section.Path}:SA = 1981-05-25..), not a value.");
            return;
        }
        foreach (var member in section.GetChildren())
        {
            if (member.Value is null) problems.Add($"{member.Path}: a member is a value, {member.Path} = <periods> (e.g. 1981-05-25.. or 1973-01-01..2020-01-31), not a section.");
            else members.Add(new MemberDraft(member.Path, member.Key, member.Value));
        }
    }
}
