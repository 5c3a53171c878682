using CsvHelper;

namespace EnergyTrade.Cli.Csv;

/// <summary>
/// A header, then rows of fields already formatted (<see cref="CsvFields"/>): every CSV the CLI writes,
/// so an export and an answer to --output csv quote and end lines alike.
/// </summary>
public sealed class CsvTable : IDisposable
{
    private readonly CsvWriter _csv;

    public CsvTable(TextWriter output, IEnumerable<string> columns)
    {
        _csv = CsvWriter.Create(output, new CsvWriterOptions
        {
            NewLine = "\n",
            // shipments import skips lines starting with '#', as comments: a first field that does is quoted instead.
            CommentPrefix = '#',
        }, leaveOpen: true);
        _csv.WriteHeader([.. columns]);
    }

    /// <summary>One record; CsvHelper refuses one whose field count differs from the header's.</summary>
    public void Row(string[] fields) => _csv.WriteRecord(fields);

    public void Flush() => _csv.Flush();

    public void Dispose() => _csv.Dispose();
}
