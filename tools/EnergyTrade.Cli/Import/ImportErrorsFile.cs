using System.Globalization;
using CsvHelper;

namespace EnergyTrade.Cli.Import;

/// <summary>
/// The rows an import did not record, one line per problem (line, request_id, column, problem), in file
/// order: the list to fix the source file from, however many there are. Opened before anything is sent,
/// so a place that cannot be written is known at once; removed again when a fresh import rejects nothing.
/// A resumed import adds to the one its earlier run began.
/// </summary>
public sealed class ImportErrorsFile : IDisposable
{
    private static readonly string[] Header = ["line", "request_id", "column", "problem"];

    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;
    private readonly bool _continuing;
    private bool _disposed;

    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written.</exception>
    public ImportErrorsFile(string path, bool append)
    {
        Path = path;
        _continuing = append && File.Exists(path);
        _text = new StreamWriter(path, _continuing);
        _csv = CsvWriter.Create(_text, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        if (!_continuing) _csv.WriteHeader(Header);
    }

    public string Path { get; }
    /// <summary>Whether it lists any row: one of this run's, or of the earlier run it continues.</summary>
    public bool HasRows => Added > 0 || _continuing;
    public long Added { get; private set; }

    /// <summary>The default place: beside the imported file.</summary>
    public static string PathFor(string importedFile) => importedFile + ".errors.csv";

    public void Add(RowOutcome row)
    {
        foreach (var problem in row.Problems)
        {
            _csv.WriteField(row.Line.ToString(CultureInfo.InvariantCulture));
            _csv.WriteField(row.RequestId ?? "");
            _csv.WriteField(problem.Field);
            _csv.WriteField(problem.Description);
            _csv.EndRecord();
        }
        Added++;
    }

    /// <summary>Written through to the disk, so the file agrees with a checkpoint saved after it.</summary>
    public void Flush()
    {
        _csv.Flush();
        _text.Flush();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _csv.Dispose();
        _text.Dispose();
        if (!HasRows) File.Delete(Path);
    }
}
