using System.Text.Json.Serialization;

namespace EnergyTrade.Contracts;

/// <summary>The full state of one shipment at one version. Quantities and money are exact decimals.</summary>
public sealed record ShipmentSnapshot
{
    public required Guid ShipmentId { get; init; }
    public required long Version { get; init; }
    public required ShipmentState State { get; init; }
    public required string Shipper { get; init; }
    /// <summary>The receiving company, when recorded.</summary>
    public string? Buyer { get; init; }
    public required string ExporterCountry { get; init; }
    public required string ImporterCountry { get; init; }
    /// <summary>Where the oil was produced; null when the origin was not disclosed.</summary>
    public string? OriginCountry { get; init; }
    public required string Grade { get; init; }
    public required decimal QuantityValue { get; init; }
    public required QuantityUnit QuantityUnit { get; init; }
    public required decimal BarrelsPerTonne { get; init; }
    public required decimal Barrels { get; init; }
    public required decimal Tonnes { get; init; }
    public decimal? ValueUsd { get; init; }
    public required DateOnly LoadDate { get; init; }
    public DateOnly? DeliveryDate { get; init; }
    public string? LoadPort { get; init; }
    public string? DischargePort { get; init; }
    /// <summary>Set when State is Cancelled.</summary>
    public string? CancelReason { get; init; }
    public required DateTimeOffset CreateTime { get; init; }
    public required DateTimeOffset UpdateTime { get; init; }

    /// <summary>The first day of the load month: the period the shipment counts in.</summary>
    public DateOnly Period => new(LoadDate.Year, LoadDate.Month, 1);

    /// <summary>The first day of the delivery month, when there is a delivery date: the period on the delivery basis.</summary>
    /// <remarks>Not part of the event: derived, like Period, which is on the wire only for today's consumers.</remarks>
    [JsonIgnore]
    public DateOnly? DeliveryPeriod => DeliveryDate is { } d ? new(d.Year, d.Month, 1) : null;

    /// <summary>The rules this snapshot breaks (<see cref="ShipmentRules"/>); a consumer counts it only when there are none.</summary>
    public IReadOnlyList<RuleViolation> Problems() => ShipmentRules.Check(this);
}

public enum ShipmentState
{
    Active = 1,
    Cancelled = 2,
}

public enum QuantityUnit
{
    Barrels = 1,
    MetricTonnes = 2,
}
