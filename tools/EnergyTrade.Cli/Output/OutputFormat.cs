namespace EnergyTrade.Cli.Output;

public enum OutputFormat
{
    /// <summary>Tables for people.</summary>
    Table,
    /// <summary>The proto messages in their canonical JSON mapping, for scripts.</summary>
    Json,
    /// <summary>A header, then a row per line of the table, for spreadsheets: trade totals and trade series only.</summary>
    Csv,
}
