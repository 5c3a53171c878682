using EnergyTrade.Shipments.V1;

namespace EnergyTrade.Testing;

/// <summary>
/// The seed article's figures as shipments: SOCAR sent Belarus 3.83 M bbl in Jan–Apr 2020,
/// 2.05 M of Azerbaijani and 1.78 M of non-Azerbaijani oil. Cargo sizes follow the press reports
/// in shared/DOMAIN.md; the January and February lots are sized to make the article's totals.
/// </summary>
public static class SeedShipments
{
    public const decimal AzerbaijaniBarrels = 2_050_000m;
    public const decimal NonAzerbaijaniBarrels = 1_780_000m;
    public const decimal TotalBarrels = 3_830_000m;

    public static IReadOnlyList<Shipment> AzerbaijanToBelarus2020() =>
    [
        Cargo("AZ", "Azeri Light", 700_000m, Quantity.Types.Unit.Barrels, null, 2020, 1, 20, "Supsa"),
        Cargo("KZ", "CPC Blend", 1_200_000m, Quantity.Types.Unit.Barrels, null, 2020, 2, 14, "Novorossiysk"),
        Cargo("AZ", "Azeri Light", 90_000m, Quantity.Types.Unit.MetricTonnes, 7.5m, 2020, 3, 4, "Ceyhan"),
        Cargo("RU", "Urals", 80_000m, Quantity.Types.Unit.MetricTonnes, 7.25m, 2020, 3, 15, "Novorossiysk"),
        Cargo("AZ", "Azeri Light", 90_000m, Quantity.Types.Unit.MetricTonnes, 7.5m, 2020, 4, 18, "Supsa"),
    ];

    public static Shipment Cargo(string origin, string grade, decimal quantity, Quantity.Types.Unit unit, decimal? barrelsPerTonne,
        int year, int month, int day, string loadPort, decimal? valueUsd = null, string exporter = "AZ", string importer = "BY")
    {
        var shipment = new Shipment
        {
            Shipper = "SOCAR",
            ExporterCountry = exporter,
            ImporterCountry = importer,
            OriginCountry = origin,
            Grade = grade,
            Quantity = new Quantity { Value = new Google.Type.Decimal { Value = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Unit = unit },
            LoadDate = new Google.Type.Date { Year = year, Month = month, Day = day },
            LoadPort = loadPort,
            DischargePort = "Odesa",
        };
        if (barrelsPerTonne is { } f) shipment.Quantity.BarrelsPerTonne = new Google.Type.Decimal { Value = f.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (valueUsd is { } v) shipment.Value = new Google.Type.Money { CurrencyCode = "USD", Units = (long)decimal.Truncate(v), Nanos = (int)((v - decimal.Truncate(v)) * 1_000_000_000m) };
        return shipment;
    }
}
