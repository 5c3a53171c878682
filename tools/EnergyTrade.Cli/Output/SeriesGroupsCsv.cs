using EnergyTrade.Cli.Csv;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// trade series --group-by as CSV: a row per month (or quarter, or year), flow and group, long rather
/// than wide because each month and flow has its own groups; they add up to the flow's figures in
/// <see cref="SeriesCsv"/>. Ready for a pivot table.
/// </summary>
public static class SeriesGroupsCsv
{
    /// <summary>month, last_month and flow; a column per --group-by dimension, in its order; then the group's figures.</summary>
    public static IReadOnlyList<string> Columns(IReadOnlyList<Dimension> groupBy) =>
        ["month", "last_month", "flow", .. groupBy.Select(FlowCsv.KeyColumn), .. FlowCsv.Columns];

    public static void Write(TextWriter output, TradeSeries series, IReadOnlyList<Dimension> groupBy)
    {
        using var csv = new CsvTable(output, Columns(groupBy));
        foreach (var entry in series.Months)
        {
            foreach (var (flow, totals) in new[] { (FlowCsv.Exports, entry.Exports), (FlowCsv.Imports, entry.Imports) })
            {
                foreach (var group in totals?.Groups ?? [])
                {
                    csv.Row([.. SeriesCsv.Period(entry), flow, .. group.Keys, .. FlowCsv.Fields(group.Totals)]);
                }
            }
        }
    }
}
