using System.Globalization;
using System.Text;
using CsvHelper;

namespace EnergyTrade.Web.Api;

/// <summary>A CSV download (RFC 4180, invariant numbers) of what a view shows: small, so written whole before it is sent.</summary>
public static class CsvFile
{
    public static IResult Result(string fileName, string[] header, IEnumerable<string[]> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true))
        {
            csv.WriteHeader(header);
            foreach (var row in rows) csv.WriteRecord(row);
        }
        return Results.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", fileName);
    }
}
