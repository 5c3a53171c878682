using System.Globalization;
using CsvHelper;
using EnergyTrade.Cli.Input;

namespace EnergyTrade.Cli.Csv;

/// <summary>
/// Reads a shipments CSV file (header row, one shipment per line, '#' comment lines) into drafts,
/// reporting each bad record with the line it starts on and everything wrong with it, so a user
/// can fix the file in one pass. Nothing here talks to a service.
/// </summary>
public static class CsvShipmentReader
{
    /// <summary>The whole file at once: for files of a size that fits in memory (tests, the seed).</summary>
    public static CsvReadResult Read(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader);
    }

    public static CsvReadResult Read(TextReader text)
    {
        var rows = new List<CsvShipmentRow>();
        var errors = new List<CsvRowError>();
        var records = Records(text, out var fileError);
        if (fileError is not null) return new CsvReadResult([], [], fileError);
        foreach (var record in records)
        {
            if (record is CsvShipmentRow row) rows.Add(row);
            else errors.Add((CsvRowError)record);
        }
        return new CsvReadResult(rows, errors);
    }

    /// <summary>
    /// The file's records one at a time, in file order, so a file of millions of rows is never held:
    /// each is a <see cref="CsvShipmentRow"/> or a <see cref="CsvRowError"/>. The header is read first;
    /// when it cannot be used, <paramref name="fileError"/> says why and there are no records.
    /// </summary>
    public static IEnumerable<CsvRecord> Records(TextReader text, out CsvRowError? fileError)
    {
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var options = new CsvReaderOptions
        {
            HasHeader = true,
            CommentPrefix = '#',
            SkipEmptyLines = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            // One unbalanced quote must not swallow the rest of the file: a line break always ends a record.
            AllowLineBreaksInQuotes = false,
            // Recover and report, rather than throw: one bad row should not hide the problems of the others.
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = record => malformed.TryAdd(record.LineNumber, record.Reason),
        };
        var csv = CsvReader.Create(text, options, leaveOpen: true);

        csv.ReadHeader();
        var header = csv.Headers;
        if (header.Count == 0 || header.All(string.IsNullOrEmpty))
        {
            csv.Dispose();
            fileError = new CsvRowError(1, null, [new FieldProblem("", $"the file has no header row; expected the columns {string.Join(",", CsvColumns.All)}.")]);
            return [];
        }
        if (HeaderProblems(header) is { Count: > 0 } headerProblems)
        {
            var headerLine = (int)Math.Max(1, csv.LineNumber);
            csv.Dispose();
            fileError = new CsvRowError(headerLine, null, headerProblems);
            return [];
        }
        fileError = null;
        return Rows(csv, header, malformed);
    }

    private static IEnumerable<CsvRecord> Rows(CsvReader csv, IReadOnlyList<string> header, Dictionary<long, CsvMalformedReason> malformed)
    {
        using var _ = csv;
        var columns = header.Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index, StringComparer.Ordinal);
        var requestIdLines = new RequestIdLines();
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            var fields = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i) ?? "").ToArray();
            string? Field(string column) => columns.TryGetValue(column, out var i) && i < fields.Length ? fields[i] : null;
            var requestId = Field(CsvColumns.RequestId);

            if (malformed.Remove(csv.LineNumber, out var reason) && reason != CsvMalformedReason.FieldCountMismatch)
            {
                yield return new CsvRowError(line, requestId, [new FieldProblem("", Describe(reason))]);
            }
            else if (fields.Length != header.Count)
            {
                yield return new CsvRowError(line, requestId, [new FieldProblem("",
                    $"has {fields.Length} fields but the header has {header.Count}; quote values that contain commas.")]);
            }
            else
            {
                var (draft, problems) = Parse(Field);
                if (draft is null)
                {
                    yield return new CsvRowError(line, requestId, problems);
                }
                else if (requestIdLines.FirstLine(draft.RequestId, line) is { } firstLine)
                {
                    yield return new CsvRowError(line, requestId, [new FieldProblem(CsvColumns.RequestId,
                        $"'{draft.RequestId}' is already used on line {firstLine}; each row needs its own request_id.")]);
                }
                else
                {
                    yield return new CsvShipmentRow(line, draft);
                }
            }
        }
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote or CsvMalformedReason.TextAfterClosingQuote =>
            "has a stray double quote; quote the whole value and double any quote inside it.",
        CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.LineBreakInQuotes =>
            "has a quoted value that is not closed on the same line.",
        _ => $"is malformed ({reason}).",
    };

    private static List<FieldProblem> HeaderProblems(IReadOnlyList<string> header)
    {
        var problems = new List<FieldProblem>();
        var known = CsvColumns.All.Concat(CsvColumns.Exported).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in CsvColumns.Required.Where(c => !header.Contains(c, StringComparer.Ordinal)))
        {
            problems.Add(new FieldProblem(missing, "required column is missing from the header."));
        }
        foreach (var unknown in header.Where(c => !known.Contains(c)).Distinct(StringComparer.Ordinal))
        {
            // Usually a typo of an optional column, whose values would otherwise be dropped silently.
            problems.Add(new FieldProblem(unknown, $"unknown column; the columns are {string.Join(",", CsvColumns.All)}."));
        }
        foreach (var twice in header.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(new FieldProblem(twice.Key, "column appears more than once in the header."));
        }
        return problems;
    }

    private static (ShipmentDraft? Draft, List<FieldProblem> Problems) Parse(Func<string, string?> field)
    {
        var problems = new List<FieldProblem>();

        string Text(string column) => field(column) ?? "";

        var requestId = Text(CsvColumns.RequestId);
        if (requestId.Length == 0)
        {
            problems.Add(new FieldProblem(CsvColumns.RequestId, "is empty; without it a re-run would import the row a second time."));
        }

        decimal RequiredDecimal(string column)
        {
            var text = Text(column);
            if (text.Length == 0) problems.Add(new FieldProblem(column, "is empty."));
            else if (!DecimalInput.TryParse(text, out var value)) problems.Add(new FieldProblem(column, DecimalInput.Describe(text) + "."));
            else return value;
            return 0;
        }
        decimal? OptionalDecimal(string column)
        {
            var text = Text(column);
            if (text.Length == 0) return null;
            if (DecimalInput.TryParse(text, out var value)) return value;
            problems.Add(new FieldProblem(column, DecimalInput.Describe(text) + "."));
            return null;
        }
        DateOnly? Date(string column, bool required)
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                if (required) problems.Add(new FieldProblem(column, "is empty."));
                return null;
            }
            if (DateInput.TryParseDate(text, out var date)) return date;
            problems.Add(new FieldProblem(column, DateInput.DescribeDate(text) + "."));
            return null;
        }

        var quantity = RequiredDecimal(CsvColumns.Quantity);
        var unitText = Text(CsvColumns.Unit);
        if (!QuantityUnits.TryParse(unitText, out var unit))
        {
            problems.Add(new FieldProblem(CsvColumns.Unit, unitText.Length == 0 ? $"is empty; use {QuantityUnits.Expected}." : $"'{unitText}' is not a unit; use {QuantityUnits.Expected}."));
        }
        var factor = OptionalDecimal(CsvColumns.BarrelsPerTonne);
        var value = OptionalDecimal(CsvColumns.ValueUsd);
        if (value is { } usd && usd.Scale > 9)
        {
            problems.Add(new FieldProblem(CsvColumns.ValueUsd, $"'{usd}' has more decimal places than money can carry."));
        }
        var loadDate = Date(CsvColumns.LoadDate, required: true);
        var deliveryDate = Date(CsvColumns.DeliveryDate, required: false);
        if (Text(CsvColumns.State).Equals(CsvShipmentWriter.Cancelled, StringComparison.OrdinalIgnoreCase))
        {
            // An export holds cancelled shipments too; created again, one would count in every total.
            problems.Add(new FieldProblem(CsvColumns.State,
                "is cancelled: importing the row would record it as an active shipment that counts. Delete the row, or import it and then cancel it (shipments cancel)."));
        }

        if (problems.Count > 0) return (null, problems);
        return (new ShipmentDraft
        {
            RequestId = requestId,
            Shipper = Text(CsvColumns.Shipper),
            ExporterCountry = CountryInput.Normalize(Text(CsvColumns.ExporterCountry)),
            ImporterCountry = CountryInput.Normalize(Text(CsvColumns.ImporterCountry)),
            OriginCountry = CountryInput.Normalize(Text(CsvColumns.OriginCountry)),
            Grade = Text(CsvColumns.Grade),
            Quantity = quantity,
            Unit = unit,
            BarrelsPerTonne = factor,
            ValueUsd = value,
            LoadDate = loadDate!.Value,
            DeliveryDate = deliveryDate,
            LoadPort = Text(CsvColumns.LoadPort),
            DischargePort = Text(CsvColumns.DischargePort),
            Buyer = Text(CsvColumns.Buyer),
        }, problems);
    }
}
