using EnergyTrade.Cli.Input;
using EnergyTrade.Client.Reconciliation;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>A reconciliation per basis: one sentence when Trade agrees, else every differing figure with both sides.</summary>
public static class ReconciliationView
{
    public const string Agrees = "Trade agrees with Shipments";

    public static IRenderable Render(string period, IReadOnlyList<ReconciliationReport> reports)
    {
        var parts = new List<IRenderable>();
        foreach (var report in reports)
        {
            var subject = $"{report.Country}–{report.Partner}, {period}, {BasisInput.Text(BasisInput.ToTrade(report.OriginBasis))}";
            if (report.Agrees)
            {
                parts.Add(new Text($"{subject}: {Agrees}."));
                continue;
            }
            var count = report.Differences.Count;
            parts.Add(new Text($"{subject}: Trade differs from Shipments in {Numbers.Count(count)} {(count == 1 ? "figure" : "figures")}.",
                new Style(decoration: Decoration.Bold)));
            var table = Cells.NumbersTable("Period", "Direction", "Measure", "Shipments", "Trade", "Trade − Shipments");
            table.Columns[1].Alignment = Justify.Left;
            table.Columns[2].Alignment = Justify.Left;
            foreach (var d in report.Differences)
            {
                var format = Format(d.Measure);
                table.AddRow(Cells.Of(Period(d.Period), d.Direction.Replace("→", " → ", StringComparison.Ordinal), Measure(d.Measure),
                    format(d.Shipments), format(d.Trade), Numbers.Change(d.Trade - d.Shipments, format)));
            }
            parts.Add(table);
        }
        return new Rows(parts);
    }

    /// <summary>The Reconciler names the whole range "2020-01..2020-04" (or "all months") and each month "2020-03".</summary>
    public static string Period(string period)
    {
        var ends = period.Split("..");
        return ends.Length == 2 ? $"{MonthRangeInput.Describe(ends[0], ends[1])} (whole range)" : period;
    }

    public static string Measure(string measure) => measure switch
    {
        "value_usd" => "value",
        "valued_shipments" => "valued shipments",
        _ => measure,
    };

    public static Func<decimal, string> Format(string measure) => measure switch
    {
        "barrels" => Numbers.Barrels,
        "tonnes" => Numbers.Tonnes,
        "value_usd" => Numbers.Usd,
        _ => v => Numbers.Group(v, minimumDecimals: 0),
    };
}
