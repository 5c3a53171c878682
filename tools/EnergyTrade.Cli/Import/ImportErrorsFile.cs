using System.Globalization;
using CsvHelper;

namespace EnergyTrade.Cli.Import;

/// <summary>
/// The rows an import did not record, one line per problem (line, request_id, column, problem), in file
/// order: the list to fix the source file from, however many there are. Created at the first rejected
/// row, so a clean import leaves none; a resumed import adds to the one its earlier run began.
/// </summary>
public sealed class ImportErrorsFile(string path, bool append) : IDisposable
{
    private static readonly string[] Header = ["line", "request_id", "column", "problem"];

    private CsvWriter? _csv;
    private StreamWriter? _text;

    public string Path => path;
    public bool Written => _csv is not null;

    /// <summary>The default place: beside the imported file.</summary>
    public static string PathFor(string importedFile) => importedFile + ".errors.csv";

    public void Add(RowOutcome row)
    {
        if (_csv is null)
        {
            var continuing = append && File.Exists(path);
            _text = new StreamWriter(path, continuing);
            _csv = CsvWriter.Create(_text, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
            if (!continuing) _csv.WriteHeader(Header);
        }
        foreach (var problem in row.Problems)
        {
            _csv.WriteField(row.Line.ToString(CultureInfo.InvariantCulture));
            _csv.WriteField(row.RequestId ?? "");
            _csv.WriteField(problem.Field);
            _csv.WriteField(problem.Description);
            _csv.EndRecord();
        }
    }

    /// <summary>Written through to the disk, so the file agrees with a checkpoint saved after it.</summary>
    public void Flush()
    {
        _csv?.Flush();
        _text?.Flush();
    }

    public void Dispose()
    {
        _csv?.Dispose();
        _text?.Dispose();
    }
}
