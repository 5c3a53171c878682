using System.Globalization;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>
/// Deterministic cargoes over a few country pairs (both directions of AZ–BY), origins and months of
/// 2021, in barrels and in tonnes, most with a value in USD and some without — so every column and
/// the by-origin split of the totals is exercised. Figures have decimals, so a lost or doubled cargo
/// can never cancel out by coincidence.
/// </summary>
public static class Cargoes
{
    public const int Year = 2021;
    public static readonly DateOnly FirstMonth = new(Year, 1, 1);
    public static readonly DateOnly LastMonth = new(Year, 4, 1);

    private static readonly (string Exporter, string Importer, string[] Origins)[] Routes =
    [
        ("AZ", "BY", ["AZ", "KZ", "RU"]),
        ("BY", "AZ", ["BY", "RU"]),
        ("KZ", "IT", ["KZ"]),
        ("NO", "DE", ["NO", "GB"]),
    ];

    /// <summary>The pairs whose totals a case checks; together they cover every route above, both directions.</summary>
    public static readonly (string Country, string Partner)[] Pairs = [("AZ", "BY"), ("KZ", "IT"), ("NO", "DE")];

    public static CreateShipmentRequest Request(string run, int i)
    {
        var route = Routes[i % Routes.Length];
        var origin = route.Origins[i / Routes.Length % route.Origins.Length];
        var month = 1 + i / 7 % 4;
        var day = 1 + i % 28;
        var quantity = i % 3 == 0
            ? new Quantity
            {
                Value = Dec(40_000m + i * 37 % 60_000 + 0.125m),
                Unit = Quantity.Types.Unit.MetricTonnes,
                BarrelsPerTonne = Dec(7.1m + i % 5 / 10m),
            }
            : new Quantity { Value = Dec(250_000m + i * 131 % 750_000 + 0.5m), Unit = Quantity.Types.Unit.Barrels };
        var shipment = new Shipment
        {
            Shipper = i % 2 == 0 ? "SOCAR" : "KazMunayGas",
            ExporterCountry = route.Exporter,
            ImporterCountry = route.Importer,
            OriginCountry = origin,
            Grade = origin == "AZ" ? "Azeri Light" : "Blend " + origin,
            Quantity = quantity,
            LoadDate = new Google.Type.Date { Year = Year, Month = month, Day = day },
            LoadPort = "Port " + route.Exporter,
            DischargePort = "Port " + route.Importer,
        };
        if (i % 4 != 0)
        {
            var usd = 15_000_000m + i * 1_234.56m % 9_000_000m;
            shipment.Value = new Google.Type.Money { CurrencyCode = "USD", Units = (long)decimal.Truncate(usd), Nanos = (int)((usd - decimal.Truncate(usd)) * 1_000_000_000m) };
        }
        return new CreateShipmentRequest { Shipment = shipment, RequestId = $"{run}-{i:D6}" };
    }

    public static IReadOnlyList<CreateShipmentRequest> Requests(string run, int count, int offset = 0) =>
        Enumerable.Range(offset, count).Select(i => Request(run, i)).ToList();

    public static Google.Type.Decimal Dec(decimal value) => new() { Value = value.ToString(CultureInfo.InvariantCulture) };

    public static Google.Type.Date Month(DateOnly month) => new() { Year = month.Year, Month = month.Month, Day = 0 };
}
