namespace EnergyTrade.Trade.Data;

/// <summary>
/// The version of each shipment whose contribution is in the totals, and that contribution. It is
/// permanent, not a time-window inbox: a duplicate or older event arriving a year later is still
/// recognised, and an amendment can subtract exactly what the previous version added.
/// </summary>
public sealed class AppliedShipment : IContributionColumns
{
    public Guid ShipmentId { get; set; }
    /// <summary>The applied version.</summary>
    public long Version { get; set; }
    /// <summary>False when the applied version contributes nothing (cancelled).</summary>
    public bool Contributes { get; set; }
    public string? ExporterCountry { get; set; }
    public string? ImporterCountry { get; set; }
    public string? OriginCountry { get; set; }
    public DateOnly? Month { get; set; }
    public DateOnly? DeliveryMonth { get; set; }
    /// <summary>
    /// Null on a contributing row only when it was counted before Trade kept names and delivery
    /// months: the same version arriving again (a republish) is then applied once more, moving it to
    /// its full row.
    /// </summary>
    public string? Shipper { get; set; }
    public string? Buyer { get; set; }
    public string? Grade { get; set; }
    public string? LoadPort { get; set; }
    public string? DischargePort { get; set; }
    public decimal Barrels { get; set; }
    public decimal Tonnes { get; set; }
    public decimal? ValueUsd { get; set; }
    public Guid? MessageId { get; set; }
    public DateTimeOffset AppliedAt { get; set; }
}
