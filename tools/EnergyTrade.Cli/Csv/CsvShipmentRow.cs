using EnergyTrade.Cli.Input;

namespace EnergyTrade.Cli.Csv;

/// <summary>One record of a shipments CSV file; <see cref="Line"/> is the 1-based line it starts on.</summary>
public abstract record CsvRecord(int Line);

/// <summary>A CSV record that parsed.</summary>
public sealed record CsvShipmentRow(int Line, ShipmentDraft Draft) : CsvRecord(Line);

/// <summary>A CSV record that did not parse, with every problem found in it.</summary>
public sealed record CsvRowError(int Line, string? RequestId, IReadOnlyList<FieldProblem> Problems) : CsvRecord(Line);

/// <summary>
/// The whole file: rows to send, rows that cannot be sent, and a file-level error (no header,
/// missing columns) that makes every row unusable.
/// </summary>
public sealed record CsvReadResult(IReadOnlyList<CsvShipmentRow> Rows, IReadOnlyList<CsvRowError> Errors, CsvRowError? FileError = null)
{
    public int RecordCount => Rows.Count + Errors.Count;
}
