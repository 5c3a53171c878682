namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>What shipments export writes: rows for spreadsheets and for import, or messages for scripts.</summary>
public enum ExportFormat
{
    /// <summary>The columns shipments import reads, then the output-only ones.</summary>
    Csv,
    /// <summary>One Shipment per line in the proto JSON mapping.</summary>
    Ndjson,
}
