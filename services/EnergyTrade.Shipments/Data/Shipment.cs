using EnergyTrade.Contracts;

namespace EnergyTrade.Shipments.Data;

/// <summary>A recorded shipment: the row behind the API's Shipment resource.</summary>
public sealed class Shipment
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public ShipmentState State { get; set; }
    public required string Shipper { get; set; }
    public required string ExporterCountry { get; set; }
    public required string ImporterCountry { get; set; }
    public required string OriginCountry { get; set; }
    public required string Grade { get; set; }
    public decimal QuantityValue { get; set; }
    public QuantityUnit QuantityUnit { get; set; }
    /// <summary>The factor used for this shipment's conversion (given, or the 7.33 default).</summary>
    public decimal BarrelsPerTonne { get; set; }
    /// <summary>Whether BarrelsPerTonne was given by the caller rather than defaulted.</summary>
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

    public ShipmentSnapshot ToSnapshot() => new()
    {
        ShipmentId = Id,
        Version = Version,
        State = State,
        Shipper = Shipper,
        ExporterCountry = ExporterCountry,
        ImporterCountry = ImporterCountry,
        OriginCountry = OriginCountry,
        Grade = Grade,
        QuantityValue = QuantityValue,
        QuantityUnit = QuantityUnit,
        BarrelsPerTonne = BarrelsPerTonne,
        Barrels = Barrels,
        Tonnes = Tonnes,
        ValueUsd = ValueUsd,
        LoadDate = LoadDate,
        DeliveryDate = DeliveryDate,
        LoadPort = LoadPort,
        DischargePort = DischargePort,
        CancelReason = CancelReason,
        CreateTime = CreateTime,
        UpdateTime = UpdateTime,
    };
}
