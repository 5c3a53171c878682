namespace EnergyTrade.Trade.Data;

/// <summary>
/// Totals at the finest grain any query needs: countries, loading and delivery month, companies,
/// grade and ports (<see cref="Totals.TotalsKey"/>). Every answer, on any basis, for any range,
/// filter or grouping, is a sum over these rows. Names are <see cref="Contracts.Names.Key"/> forms;
/// their spellings are in <see cref="TradeName"/>.
/// </summary>
public sealed class TotalsRow
{
    public required string ExporterCountry { get; set; }
    public required string ImporterCountry { get; set; }
    /// <summary>Null when the origin was not disclosed.</summary>
    public string? OriginCountry { get; set; }
    /// <summary>First day of the loading month.</summary>
    public DateOnly Month { get; set; }
    /// <summary>First day of the delivery month; null while the cargo has no delivery date.</summary>
    public DateOnly? DeliveryMonth { get; set; }
    /// <summary>Null only on rows counted before Trade kept names, until a republish re-applies them.</summary>
    public string? Shipper { get; set; }
    public string? Buyer { get; set; }
    /// <summary>Null only on rows counted before Trade kept names.</summary>
    public string? Grade { get; set; }
    public string? LoadPort { get; set; }
    public string? DischargePort { get; set; }
    public long ShipmentCount { get; set; }
    public decimal Barrels { get; set; }
    public decimal Tonnes { get; set; }
    public decimal ValueUsd { get; set; }
    public long ValuedShipmentCount { get; set; }
    /// <summary>Barrels of the shipments that carry a value: what a price per barrel divides by.</summary>
    public decimal ValuedBarrels { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
