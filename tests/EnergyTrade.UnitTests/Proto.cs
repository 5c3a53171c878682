using System.Globalization;
using EnergyTrade.ServiceDefaults;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.UnitTests;

/// <summary>Builders for proto messages used by several test classes.</summary>
internal static class Proto
{
    public static Google.Type.Decimal Dec(string text) => new() { Value = text };

    public static Google.Type.Decimal Dec(decimal value) => Dec(value.ToString(CultureInfo.InvariantCulture));

    public static Google.Type.Date Date(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    public static Google.Type.Money Usd(long units, int nanos) => new() { CurrencyCode = "USD", Units = units, Nanos = nanos };

    /// <summary>A shipment that passes every rule: 90,000 t of Azeri Light at 7.5 bbl/t, AZ → BY.</summary>
    public static V1.Shipment ValidShipment() => new()
    {
        Shipper = "SOCAR",
        ExporterCountry = "AZ",
        ImporterCountry = "BY",
        OriginCountry = "AZ",
        Grade = "Azeri Light",
        Quantity = new V1.Quantity { Value = Dec("90000"), Unit = V1.Quantity.Types.Unit.MetricTonnes, BarrelsPerTonne = Dec("7.5") },
        Value = Usd(1234, 560_000_000),
        LoadDate = Date(2020, 3, 4),
        DeliveryDate = Date(2020, 3, 12),
        LoadPort = "Ceyhan",
        DischargePort = "Odesa",
    };

    /// <summary>"field REASON" for every violation, sorted, so whole sets compare in one assertion.</summary>
    public static IReadOnlyList<string> Keys(FieldViolations violations) =>
        violations.Items.Select(v => $"{v.Field} {v.Reason}").Order(StringComparer.Ordinal).ToList();
}
