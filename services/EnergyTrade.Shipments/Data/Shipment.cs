using EnergyTrade.Contracts;

namespace EnergyTrade.Shipments.Data;

/// <summary>A recorded shipment: the row behind the API's Shipment resource.</summary>
public sealed class Shipment
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public ShipmentState State { get; set; }
    public string Shipper { get; set; } = "";
    public string? Buyer { get; set; }
    public string ExporterCountry { get; set; } = "";
    public string ImporterCountry { get; set; } = "";
    /// <summary>Null when the origin was not disclosed.</summary>
    public string? OriginCountry { get; set; }
    public string Grade { get; set; } = "";
    public decimal QuantityValue { get; set; }
    public QuantityUnit QuantityUnit { get; set; }
    /// <summary>
    /// The factor used for this shipment's conversion: given, or the standard factor of its grade when
    /// it was recorded (7.33 for a grade the catalogue did not know, and for every shipment recorded
    /// before there was a catalogue). Kept as recorded until an update replaces it.
    /// </summary>
    public decimal BarrelsPerTonne { get; set; }
    /// <summary>Whether BarrelsPerTonne was given by a caller rather than taken from the grade.</summary>
    public bool BarrelsPerTonneGiven { get; set; }
    public decimal Barrels { get; set; }
    public decimal Tonnes { get; set; }
    public decimal? ValueUsd { get; set; }
    public DateOnly LoadDate { get; set; }
    public DateOnly? DeliveryDate { get; set; }
    public string? LoadPort { get; set; }
    public string? DischargePort { get; set; }
    public string? CancelReason { get; set; }
    public DateTimeOffset CreateTime { get; set; }
    public DateTimeOffset UpdateTime { get; set; }

    /// <summary>The caller's idempotency key (AIP-155), unique when present.</summary>
    public string? RequestId { get; set; }
    /// <summary>Hash of the create request's content, to tell a true retry from a reused request_id.</summary>
    public string? RequestFingerprint { get; set; }

    public string Name => ShipmentNames.Format(Id);
}
