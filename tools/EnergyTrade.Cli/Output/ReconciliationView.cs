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
            if (report.Refused.Count > 0) parts.Add(Refused(report.Refused));
        }
        return new Rows(parts);
    }

    /// <summary>What Trade refused and why: shown under the differences it explains (docs/reliability.md says what to do).</summary>
    private static IRenderable Refused(IReadOnlyList<EnergyTrade.Trade.V1.RefusedEvent> refused)
    {
        var table = new Table().AddColumns("Refused by Trade", "Month", "Barrels", "Reason");
        foreach (var r in refused)
        {
            table.AddRow(Cells.Of(
                r.Shipment.Length > 0 ? $"{r.Shipment} v{r.Version}" : $"message {r.MessageId}",
                r.Month is null ? "" : $"{r.Month.Year:D4}-{r.Month.Month:D2}",
                r.Barrels is null ? "" : Numbers.Barrels(decimal.Parse(r.Barrels.Value, System.Globalization.CultureInfo.InvariantCulture)),
                r.Reason));
        }
        return table;
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
