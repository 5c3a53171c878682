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
            foreach (var row in rows) csv.WriteRecord(Array.ConvertAll(row, Defused));
        }
        return Results.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", fileName);
    }

    /// <summary>
    /// A name anyone could record (a shipper called =HYPERLINK(…)) must not run as a formula in a spreadsheet: text
    /// starting with = + - @ or a control character gets a leading apostrophe (OWASP). A figure is left as it is,
    /// so a negative balance stays a number.
    /// </summary>
    public static string Defused(string field) =>
        field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n'
            && !decimal.TryParse(field, System.Globalization.NumberStyles.Number, CultureInfo.InvariantCulture, out _)
            ? "'" + field
            : field;
}
