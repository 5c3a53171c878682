namespace EnergyTrade.Trade.Data;

/// <summary>
/// Totals at the finest grain any query needs: (exporter, importer, origin, month). Every answer,
/// on either basis, for any range, is a sum over these rows.
/// </summary>
public sealed class TotalsRow
{
    public required string ExporterCountry { get; set; }
    public required string ImporterCountry { get; set; }
    public required string OriginCountry { get; set; }
    /// <summary>First day of the month.</summary>
    public DateOnly Month { get; set; }
    public long ShipmentCount { get; set; }
    public decimal Barrels { get; set; }
    public decimal Tonnes { get; set; }
    public decimal ValueUsd { get; set; }
    public long ValuedShipmentCount { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
