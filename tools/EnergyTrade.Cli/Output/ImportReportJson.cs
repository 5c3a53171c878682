using System.Text;
using System.Text.Json;
using EnergyTrade.Cli.Import;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// An import report for scripts. It is the CLI's own summary, not a proto message, so it is written
/// here with the same conventions as the proto JSON: lowerCamelCase names, every field present.
/// </summary>
public static class ImportReportJson
{
    public static string Format(ImportReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("file", report.File);
            json.WriteBoolean("dryRun", report.DryRun);
            json.WriteNumber("created", report.Created);
            json.WriteNumber("alreadyPresent", report.AlreadyPresent);
            json.WriteNumber("rejected", report.Rejected);
            json.WriteNumber("notAttempted", report.NotAttempted);
            json.WriteBoolean("complete", report.Complete);
            if (report.StoppedBy is { } stopped) json.WriteString("stoppedBy", stopped.ToString());
            else json.WriteNull("stoppedBy");
            json.WriteStartArray("rows");
            foreach (var row in report.Rows)
            {
                json.WriteStartObject();
                json.WriteNumber("line", row.Line);
                json.WriteString("requestId", row.RequestId);
                json.WriteString("result", Result(row.Result));
                json.WriteString("name", row.ShipmentName);
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

    public static string Result(RowResult result) => result switch
    {
        RowResult.Created => "CREATED",
        RowResult.AlreadyPresent => "ALREADY_PRESENT",
        RowResult.Rejected => "REJECTED",
        _ => "NOT_ATTEMPTED",
    };
}
