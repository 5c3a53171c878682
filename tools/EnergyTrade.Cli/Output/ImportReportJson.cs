using System.Text;
using System.Text.Json;
using EnergyTrade.Cli.Import;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// An import report for scripts. It is the CLI's own summary, not a proto message, so it is written
/// here with the same conventions as the proto JSON: lowerCamelCase names, every field present. The
/// rejected rows are the first few; errorsFile lists them all.
/// </summary>
public static class ImportReportJson
{
    public static string Format(ImportReport report)
    {
        var tally = report.Tally;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("file", report.File);
            json.WriteBoolean("dryRun", report.DryRun);
            json.WriteNumber("rows", tally.Rows);
            json.WriteNumber("created", tally.Created);
            json.WriteNumber("alreadyPresent", tally.AlreadyPresent);
            json.WriteNumber("valid", tally.Valid);
            json.WriteNumber("rejected", tally.Rejected);
            json.WriteNumber("notAttempted", report.NotAttempted);
            json.WriteBoolean("complete", report.Complete);
            WriteLine(json, "resumedAfterLine", report.ResumedAfterLine);
            WriteLine(json, "interruptedAfterLine", report.InterruptedAfterLine);
            json.WriteNumber("seconds", Math.Round(report.Elapsed.TotalSeconds, 3));
            if (report.StoppedBy is { } stopped) json.WriteString("stoppedBy", stopped.ToString());
            else json.WriteNull("stoppedBy");
            json.WriteString("errorsFile", report.ErrorsFile);
            json.WriteStartArray("rejections");
            foreach (var row in report.Rejections)
            {
                json.WriteStartObject();
                json.WriteNumber("line", row.Line);
                json.WriteString("requestId", row.RequestId);
                json.WriteStartArray("problems");
                foreach (var problem in row.Problems)
                {
                    json.WriteStartObject();
                    json.WriteString("field", problem.Field);
                    json.WriteString("description", problem.Description);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteLine(Utf8JsonWriter json, string name, int? line)
    {
        if (line is { } value) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }
}
