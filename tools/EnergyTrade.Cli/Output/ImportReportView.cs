using System.Globalization;
using EnergyTrade.Cli.Import;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>The end of an import: how many rows were created, already there or rejected, and why each rejection happened.</summary>
public static class ImportReportView
{
    public static IRenderable Render(ImportReport report)
    {
        var parts = new List<IRenderable>();
        var counts = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn(new GridColumn().NoWrap().RightAligned());
        if (report.DryRun)
        {
            counts.AddRow(Cells.Of("valid", Numbers.Count(report.NotAttempted)));
            counts.AddRow(Cells.Of("rejected", Numbers.Count(report.Rejected)));
            parts.Add(new Text($"{report.File}: {Numbers.Count(report.Rows.Count)} rows checked, nothing sent (dry run)", new Style(decoration: Decoration.Bold)));
        }
        else
        {
            counts.AddRow(Cells.Of("created", Numbers.Count(report.Created)));
            counts.AddRow(Cells.Of("already present", Numbers.Count(report.AlreadyPresent)));
            counts.AddRow(Cells.Of("rejected", Numbers.Count(report.Rejected)));
            if (report.NotAttempted > 0) counts.AddRow(Cells.Of("not attempted", Numbers.Count(report.NotAttempted)));
            parts.Add(new Text($"{report.File}: {Numbers.Count(report.Rows.Count)} rows in {Seconds(report.Elapsed)} s", new Style(decoration: Decoration.Bold)));
        }
        parts.Add(counts);

        var rejected = report.Rows.Where(r => r.Result == RowResult.Rejected).ToList();
        if (rejected.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("Rejected rows");
            table.AddColumn(new TableColumn("Line") { Alignment = Justify.Right });
            table.AddColumns("request_id", "Column", "Reason");
            foreach (var row in rejected)
            {
                foreach (var problem in row.Problems)
                {
                    table.AddRow(Cells.Of(row.Line.ToString(CultureInfo.InvariantCulture), row.RequestId ?? "", problem.Field, problem.Description));
                }
            }
            parts.Add(table);
        }
        return new Rows(parts);
    }

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
