using System.Globalization;
using CsvHelper;

namespace EnergyTrade.Cli.Import;

/// <summary>
/// The rows an import did not record, one line per problem (line, request_id, column, problem), in file
/// order: the list to fix the source file from, however many there are. Opened before anything is sent,
/// so a place that cannot be written is known at once; removed again when a fresh import rejects nothing.
/// A resumed import continues the one its earlier run began, from the checkpoint's line: what that run
/// wrote of later lines (its buffers reach the disk between checkpoints) is settled again, so it is cut.
/// </summary>
public sealed class ImportErrorsFile : IDisposable
{
    private static readonly string[] Header = ["line", "request_id", "column", "problem"];

    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;
    private readonly bool _continuing;
    private bool _disposed;

    /// <param name="continueThroughLine">Resuming: keep the rows of lines up to this one and add to them.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written.</exception>
    public ImportErrorsFile(string path, int? continueThroughLine)
    {
        Path = path;
        var kept = continueThroughLine is { } through && File.Exists(path) ? Kept(path, through) : null;
        _continuing = kept is { Count: > 0 };
        _text = new StreamWriter(path, append: false);
        _csv = CsvWriter.Create(_text, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        _csv.WriteHeader(Header);
        foreach (var line in kept ?? []) _text.Write(line + "\n");
    }

    /// <summary>The earlier run's rows for lines up to <paramref name="through"/>, as written.</summary>
    private static List<string> Kept(string path, int through) =>
        [.. File.ReadLines(path).Skip(1).Where(l => int.TryParse(l.AsSpan(0, Math.Max(0, l.IndexOf(','))), out var line) && line <= through)];

    public string Path { get; }
    /// <summary>Whether it lists any row: one of this run's, or of the earlier run it continues.</summary>
    public bool HasRows => Added > 0 || _continuing;
    public long Added { get; private set; }

    /// <summary>The default place: beside the imported file; a dry run's apart, so it never replaces an import's.</summary>
    public static string PathFor(string importedFile, bool dryRun) => importedFile + (dryRun ? ".dry-run-errors.csv" : ".errors.csv");

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
