using EnergyTrade.Cli.Csv;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// trade totals as CSV: a row per line of the table. Each flow's total (exports, imports, and on the
/// delivery basis what was in transit at the end), its groups when --group-by asked for them, its split
/// by origin of the oil, then turnover and balance in value_usd. breakdown tells a flow's total from its
/// parts, so a sum over rows counts each cargo once when it keeps to one breakdown.
/// </summary>
public static class TotalsCsv
{
    private const string Total = "total";
    private const string Group = "group";
    private const string Origin = "origin";

    /// <summary>
    /// flow and breakdown; origin_country (the origin split's key) and a column per other --group-by
    /// dimension, in its order; then the flow's figures. An empty key is a value the shipments did not record.
    /// </summary>
    public static IReadOnlyList<string> Columns(IReadOnlyList<Dimension> groupBy) =>
        ["flow", "breakdown", .. Keys(groupBy).Select(FlowCsv.KeyColumn), .. FlowCsv.Columns];

    public static void Write(TextWriter output, BilateralTotals totals, IReadOnlyList<Dimension> groupBy)
    {
        var keys = Keys(groupBy);
        using var csv = new CsvTable(output, Columns(groupBy));
        void Row(string flow, string breakdown, IReadOnlyDictionary<Dimension, string> key, string[] figures) =>
            csv.Row([flow, breakdown, .. keys.Select(d => key.GetValueOrDefault(d, "")), .. figures]);

        (string Name, FlowTotals? Flow)[] flows = [(FlowCsv.Exports, totals.Exports), (FlowCsv.Imports, totals.Imports)];
        foreach (var (name, flow) in flows) Row(name, Total, NoKey, FlowCsv.Fields(flow));
        if (totals.InTransit is { } transit)
        {
            Row("in_transit_" + FlowCsv.Exports, Total, NoKey, FlowCsv.Fields(transit.Exports));
            Row("in_transit_" + FlowCsv.Imports, Total, NoKey, FlowCsv.Fields(transit.Imports));
        }
        foreach (var (name, flow) in flows)
        {
            foreach (var group in flow?.Groups ?? [])
            {
                Row(name, Group, groupBy.Zip(group.Keys).ToDictionary(k => k.First, k => k.Second), FlowCsv.Fields(group.Totals));
            }
        }
        foreach (var (name, flow) in flows)
        {
            foreach (var origin in flow?.ByOrigin ?? [])
            {
                Row(name, Origin, new Dictionary<Dimension, string> { [Dimension.Origin] = origin.OriginCountry }, FlowCsv.Fields(origin));
            }
        }
        Row("turnover", Total, NoKey, FlowCsv.Value(totals.Turnover));
        Row("balance", Total, NoKey, FlowCsv.Value(totals.Balance));
    }

    private static readonly Dictionary<Dimension, string> NoKey = [];

    /// <summary>The origin split's key always has a column; grouping by origin fills the same one.</summary>
    private static List<Dimension> Keys(IReadOnlyList<Dimension> groupBy) => [Dimension.Origin, .. groupBy.Where(d => d != Dimension.Origin)];
}
