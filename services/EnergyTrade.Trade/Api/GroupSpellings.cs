using EnergyTrade.Trade.Totals;

namespace EnergyTrade.Trade.Api;

/// <summary>Replaces the name keys in group keys by their kept spellings (<see cref="NameBook"/>).</summary>
internal static class GroupSpellings
{
    public static async Task<IReadOnlyList<FlowSums>> ApplyAsync(NameBook names, GroupBy groupBy, IReadOnlyList<FlowSums> sums,
        CancellationToken cancellationToken)
    {
        if (groupBy.IsEmpty || sums.Count == 0) return sums;
        var spellings = new IReadOnlyDictionary<string, string>?[groupBy.Dimensions.Length];
        for (var i = 0; i < spellings.Length; i++)
        {
            if (Dimensions.Kind(groupBy.Dimensions[i]) is not { } kind) continue;
            var keys = sums.Select(s => s.Keys.Values[i]).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            spellings[i] = await names.SpellingsAsync(kind, keys, cancellationToken);
        }
        return sums.Select(s => s with
        {
            Keys = s.Keys.Values.Select((key, i) => key is not null && spellings[i] is { } spelled ? spelled[key] : key).ToArray(),
        }).ToList();
    }
}
