namespace EnergyTrade.Trade.Data;

/// <summary>
/// Every version of every shipment Trade has received, with what it counts for and the span of
/// Shipments' time it was the shipment's newest version: from its own update_time (ValidFrom) to the
/// next known version's (ValidUntil). Append-only but for ValidUntil, which a version received later
/// (out of order) may set or move. The totals as of any instant are the sums over the contributing
/// versions valid then; bilateral_totals is the same sum for now, kept ready.
/// </summary>
public sealed class ShipmentVersion : IContributionColumns
{
    public Guid ShipmentId { get; set; }
    public long Version { get; set; }
    /// <summary>When Shipments recorded this version (the snapshot's update_time).</summary>
    public DateTimeOffset ValidFrom { get; set; }
    /// <summary>When Shipments recorded the next version Trade knows of; null while this is the newest.</summary>
    public DateTimeOffset? ValidUntil { get; set; }
    /// <summary>False for a cancelled shipment: it counts for nothing, and its columns below are null.</summary>
    public bool Contributes { get; set; }
    public string? ExporterCountry { get; set; }
    public string? ImporterCountry { get; set; }
    public string? OriginCountry { get; set; }
    public DateOnly? Month { get; set; }
    public DateOnly? DeliveryMonth { get; set; }
    /// <summary>Null on a contributing row only when it was carried over from a contribution counted before Trade kept names.</summary>
    public string? Shipper { get; set; }
    public string? Buyer { get; set; }
    public string? Grade { get; set; }
    public string? LoadPort { get; set; }
    public string? DischargePort { get; set; }
    public decimal Barrels { get; set; }
    public decimal Tonnes { get; set; }
    public decimal? ValueUsd { get; set; }
}
