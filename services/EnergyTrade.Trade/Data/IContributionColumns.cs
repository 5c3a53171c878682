namespace EnergyTrade.Trade.Data;

/// <summary>
/// The columns that say what one shipment version counts for, shared by applied_shipments (the
/// version in today's totals) and shipment_versions (every version received); written by
/// <see cref="Totals.ContributionColumns.WithContribution{T}"/>.
/// </summary>
public interface IContributionColumns
{
    bool Contributes { get; set; }
    string? ExporterCountry { get; set; }
    string? ImporterCountry { get; set; }
    string? OriginCountry { get; set; }
    DateOnly? Month { get; set; }
    DateOnly? DeliveryMonth { get; set; }
    string? Shipper { get; set; }
    string? Buyer { get; set; }
    string? Grade { get; set; }
    string? LoadPort { get; set; }
    string? DischargePort { get; set; }
    decimal Barrels { get; set; }
    decimal Tonnes { get; set; }
    decimal? ValueUsd { get; set; }
}
