using System.Globalization;
using EnergyTrade.Cli.Csv;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// trade totals --compare as CSV: a row per measure of the table (exports, imports and turnover, in
/// value and in barrels, as the service compared them), then the shipment counts the table notes below
/// it: the earlier range's figure, the later one's, the change and the change in percent.
/// </summary>
public static class ComparisonCsv
{
    public static readonly IReadOnlyList<string> Columns = ["measure", "previous", "current", "change", "change_percent"];

    public static void Write(TextWriter output, BilateralComparison comparison)
    {
        using var csv = new CsvTable(output, Columns);
        (string Measure, Change? Change)[] compared =
        [
            ($"{FlowCsv.Exports}_value_usd", comparison.ExportsValue),
            ($"{FlowCsv.Imports}_value_usd", comparison.ImportsValue),
            ("turnover_value_usd", comparison.TurnoverValue),
            ($"{FlowCsv.Exports}_barrels", comparison.ExportsBarrels),
            ($"{FlowCsv.Imports}_barrels", comparison.ImportsBarrels),
            ("turnover_barrels", comparison.TurnoverBarrels),
        ];
        foreach (var (measure, change) in compared)
        {
            // percent is unset when the earlier figure is zero: the field stays empty, as the table's n/a.
            csv.Row([measure, CsvFields.Exact(change?.Previous), CsvFields.Exact(change?.Current), CsvFields.Exact(change?.Absolute), CsvFields.Exact(change?.Percent)]);
        }
        csv.Row(Counted($"{FlowCsv.Exports}_shipment_count", comparison.Previous?.Exports, comparison.Current?.Exports));
        csv.Row(Counted($"{FlowCsv.Imports}_shipment_count", comparison.Previous?.Imports, comparison.Current?.Imports));
    }

    /// <summary>
    /// The service compares values and barrels, not counts: the change in shipments follows Change's rule
    /// (half-even to 2 places, empty from zero), so its row reads like the others.
    /// </summary>
    private static string[] Counted(string measure, FlowTotals? previous, FlowTotals? current)
    {
        var (before, after) = (previous?.ShipmentCount ?? 0, current?.ShipmentCount ?? 0);
        var percent = before == 0 ? "" : Math.Round((after - before) * 100m / before, 2, MidpointRounding.ToEven).ToString(CultureInfo.InvariantCulture);
        return [measure, CsvFields.Count(before), CsvFields.Count(after), CsvFields.Count(after - before), percent];
    }
}
