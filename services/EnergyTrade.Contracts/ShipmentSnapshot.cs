namespace EnergyTrade.Contracts;

/// <summary>The full state of one shipment at one version. Quantities and money are exact decimals.</summary>
public sealed record ShipmentSnapshot
{
    public required Guid ShipmentId { get; init; }
    public required long Version { get; init; }
    public required ShipmentState State { get; init; }
    public required string Shipper { get; init; }
    public required string ExporterCountry { get; init; }
    public required string ImporterCountry { get; init; }
    public required string OriginCountry { get; init; }
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

    /// <summary>
    /// Checks what a consumer needs before it adds this snapshot to totals. Shipments validates far
    /// more at the API; this guards against messages that did not come from it.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ShipmentId == Guid.Empty) problems.Add("ShipmentId is empty");
        if (Version < 1) problems.Add($"Version {Version} is below 1");
        if (!Enum.IsDefined(State)) problems.Add($"State {State} is unknown");
        if (!Enum.IsDefined(QuantityUnit)) problems.Add($"QuantityUnit {QuantityUnit} is unknown");
        foreach (var (field, code) in new[] { ("ExporterCountry", ExporterCountry), ("ImporterCountry", ImporterCountry), ("OriginCountry", OriginCountry) })
        {
            if (!CountryCodes.IsAssigned(code)) problems.Add($"{field} '{code}' is not an assigned ISO 3166-1 alpha-2 code");
        }
        if (ExporterCountry == ImporterCountry) problems.Add("ExporterCountry equals ImporterCountry");
        if (QuantityValue <= 0) problems.Add($"QuantityValue {QuantityValue} is not positive");
        if (Barrels <= 0) problems.Add($"Barrels {Barrels} is not positive");
        if (Tonnes <= 0) problems.Add($"Tonnes {Tonnes} is not positive");
        if (ValueUsd < 0) problems.Add($"ValueUsd {ValueUsd} is negative");
        if (Barrels > Limits.MaxQuantity || Tonnes > Limits.MaxQuantity) problems.Add("quantity exceeds the largest accepted");
        if (ValueUsd > Limits.MaxValueUsd) problems.Add("ValueUsd exceeds the largest accepted");
        return problems;
    }
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

/// <summary>Bounds shared by the API and the consumer so totals can never overflow numeric columns.</summary>
public static class Limits
{
    /// <summary>Far above any real cargo or monthly pipeline flow (a VLCC carries ~2 M bbl).</summary>
    public const decimal MaxQuantity = 1_000_000_000m;
    public const decimal MaxValueUsd = 1_000_000_000_000m;
    public const decimal DefaultBarrelsPerTonne = 7.33m;
    public const decimal MinBarrelsPerTonne = 5m;
    public const decimal MaxBarrelsPerTonne = 10m;
}
