using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EnergyTrade.Client.Reconciliation;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// A reconciliation for scripts, with the conventions of the proto JSON: lowerCamelCase names, every
/// field present, enums by their proto names, figures as exact decimal strings, text unescaped UTF-8 ("AZ→BY").
/// </summary>
public static class ReconciliationJson
{
    public static string Format(DateOnly? firstMonth, DateOnly? lastMonth, IReadOnlyList<ReconciliationReport> reports)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("country", reports.FirstOrDefault()?.Country ?? "");
            json.WriteString("partner", reports.FirstOrDefault()?.Partner ?? "");
            Month(json, "firstMonth", firstMonth);
            Month(json, "lastMonth", lastMonth);
            json.WriteBoolean("agrees", reports.All(r => r.Agrees));
            json.WriteStartArray("reports");
            foreach (var report in reports)
            {
                json.WriteStartObject();
                json.WriteString("basis", report.OriginBasis ? "BASIS_ORIGIN" : "BASIS_COMMERCIAL");
                json.WriteBoolean("agrees", report.Agrees);
                json.WriteStartArray("differences");
                foreach (var d in report.Differences)
                {
                    json.WriteStartObject();
                    json.WriteString("period", d.Period);
                    json.WriteString("direction", d.Direction);
                    json.WriteString("measure", d.Measure);
                    json.WriteString("shipments", d.Shipments.ToString(CultureInfo.InvariantCulture));
                    json.WriteString("trade", d.Trade.ToString(CultureInfo.InvariantCulture));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartArray("refused");
                foreach (var r in report.Refused)
                {
                    json.WriteStartObject();
                    json.WriteString("messageId", r.MessageId);
                    json.WriteString("shipment", r.Shipment);
                    json.WriteNumber("version", r.Version);
                    json.WriteString("reason", r.Reason);
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

    /// <summary>As google.type.Date with day 0 prints (year, month, day), or null when unbounded.</summary>
    private static void Month(Utf8JsonWriter json, string name, DateOnly? month)
    {
        if (month is not { } m)
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartObject(name);
        json.WriteNumber("year", m.Year);
        json.WriteNumber("month", m.Month);
        json.WriteNumber("day", 0);
        json.WriteEndObject();
    }
}
