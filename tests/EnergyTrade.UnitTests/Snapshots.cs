using EnergyTrade.Contracts;

namespace EnergyTrade.UnitTests;

/// <summary>Builders for ShipmentSnapshot, the message Trade consumes.</summary>
internal static class Snapshots
{
    private static readonly DateTimeOffset Created = new(2020, 3, 5, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A snapshot with no problems: 80,000 t of Urals at 7.25 bbl/t loaded 2020-03-15, AZ → BY.</summary>
    public static ShipmentSnapshot Valid() => new()
    {
        ShipmentId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        Version = 1,
        State = ShipmentState.Active,
        Shipper = "SOCAR",
        ExporterCountry = "AZ",
        ImporterCountry = "BY",
        OriginCountry = "RU",
        Grade = "Urals",
        QuantityValue = 80_000m,
        QuantityUnit = QuantityUnit.MetricTonnes,
        BarrelsPerTonne = 7.25m,
        Barrels = 580_000.000m,
        Tonnes = 80_000.000m,
        ValueUsd = null,
        LoadDate = new DateOnly(2020, 3, 15),
        CreateTime = Created,
        UpdateTime = Created,
    };
}
