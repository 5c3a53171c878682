namespace EnergyTrade.Trade.Partners;

/// <summary>A group as written in the file or in configuration, before <see cref="PartnerGroupRules"/> has checked it.</summary>
/// <param name="Where">Names the entry in a problem: a configuration path or the file's group.</param>
internal sealed record GroupDraft(string Code, string Where, string? Name, string? Comment, IReadOnlyList<string> Sources, IReadOnlyList<MemberDraft> Members);

/// <param name="Periods">FIRST..LAST, both days inclusive, LAST left out while it lasts; several separated by commas.</param>
internal sealed record MemberDraft(string Where, string Country, string? Periods);
