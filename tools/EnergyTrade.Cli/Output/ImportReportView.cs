using System.Globalization;
using EnergyTrade.Cli.Import;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>The end of an import: how many rows were created, already there or rejected, and why the first rejections happened.</summary>
public static class ImportReportView
{
    public static IRenderable Render(ImportReport report)
    {
        var tally = report.Tally;
        var parts = new List<IRenderable>();
        var counts = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn(new GridColumn().NoWrap().RightAligned());
        var title = report.DryRun
            ? $"{report.File}: {Numbers.Count(tally.Rows)} rows checked by the service, nothing recorded (dry run)"
            : $"{report.File}: {Numbers.Count(tally.Rows)} rows in {Seconds(report.Elapsed)} s";
        parts.Add(new Text(title, new Style(decoration: Decoration.Bold)));
        if (report.ResumedAfterLine is { } resumed) parts.Add(new Text($"resumed after line {Numbers.Count(resumed)}; the counts include the earlier run"));
        if (report.DryRun)
        {
            counts.AddRow(Cells.Of("valid", Numbers.Count(tally.Valid)));
            if (tally.AlreadyPresent > 0) counts.AddRow(Cells.Of("already present", Numbers.Count(tally.AlreadyPresent)));
        }
        else
        {
            counts.AddRow(Cells.Of("created", Numbers.Count(tally.Created)));
            counts.AddRow(Cells.Of("already present", Numbers.Count(tally.AlreadyPresent)));
        }
        counts.AddRow(Cells.Of("rejected", Numbers.Count(tally.Rejected)));
        if (report.NotAttempted > 0) counts.AddRow(Cells.Of("not attempted", Numbers.Count(report.NotAttempted)));
        parts.Add(counts);

        if (report.Rejections.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("Rejected rows");
            table.AddColumn(new TableColumn("Line") { Alignment = Justify.Right });
            table.AddColumns("request_id", "Column", "Reason");
            foreach (var row in report.Rejections)
            {
                foreach (var problem in row.Problems)
                {
                    table.AddRow(Cells.Of(row.Line.ToString(CultureInfo.InvariantCulture), row.RequestId ?? "", problem.Field, problem.Description));
                }
            }
            parts.Add(table);
        }
        if (report.ErrorsFile is { } errors)
        {
            var more = tally.Rejected > report.Rejections.Count ? $"All {Numbers.Count(tally.Rejected)} rejected rows" : "The rejected rows";
            parts.Add(new Text($"{more} are listed in {errors} (line, request_id, column, problem)."));
        }
        return new Rows(parts);
    }

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
