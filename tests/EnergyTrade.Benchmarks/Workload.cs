using System.Globalization;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Grpc.Core;

namespace EnergyTrade.Benchmarks;

/// <summary>An exporter → importer direction.</summary>
public readonly record struct Flow(string Exporter, string Importer)
{
    public override string ToString() => $"{Exporter}→{Importer}";
}

/// <summary>Generated shipments: varied pairs, origins, months, units, factors and values; every figure exact.</summary>
public static class Workload
{
    /// <summary>Ingest flows; CN→RU is the reverse of RU→CN, so that pair's query sees both directions.</summary>
    public static readonly Flow[] IngestFlows =
    [
        new("AZ", "BY"), new("RU", "CN"), new("CN", "RU"), new("SA", "IN"),
        new("NO", "DE"), new("US", "NL"), new("IQ", "IT"), new("KZ", "IT"),
    ];

    private static readonly Dictionary<string, string[]> Origins = new()
    {
        ["AZ"] = ["AZ", "KZ", "TM"], ["RU"] = ["RU", "KZ"], ["CN"] = ["RU", "SA", "AO"], ["SA"] = ["SA"],
        ["NO"] = ["NO", "GB"], ["US"] = ["US", "CA", "BR"], ["IQ"] = ["IQ"], ["KZ"] = ["KZ", "RU"],
        ["GB"] = ["GB", "NO"], ["DK"] = ["DK"], ["NG"] = ["NG"], ["AO"] = ["AO"], ["LY"] = ["LY"],
        ["DZ"] = ["DZ"], ["EG"] = ["EG", "SA"],
    };

    private static readonly string[] Grades = ["Azeri Light", "Urals", "Arab Light", "Johan Sverdrup", "WTI", "Basrah Medium", "CPC Blend", "ESPO"];
    private static readonly string[] Shippers = ["SOCAR", "Rosneft", "Aramco", "Equinor", "Vitol", "Trafigura", "Glencore", "KazMunayGas"];

    /// <summary>Freshness flows: 8 exporters × 6 importers, none of them in the ingest set.</summary>
    public static readonly Flow[] FreshnessFlows =
        (from e in new[] { "NO", "GB", "DK", "NG", "AO", "LY", "DZ", "EG" }
         from i in new[] { "FR", "ES", "PT", "BE", "SE", "FI" }
         select new Flow(e, i)).ToArray();

    /// <summary>The unordered pairs whose GetBilateralTotals cover every flow (exports = first→second, imports = back).</summary>
    public static (string Country, string Partner)[] QueryPairs(IEnumerable<Flow> flows) =>
        flows.Select(f => string.CompareOrdinal(f.Exporter, f.Importer) < 0 ? (f.Exporter, f.Importer) : (f.Importer, f.Exporter))
            .Distinct().ToArray();

    public static CreateShipmentRequest Shipment(Random random, Flow flow, int year, int month)
    {
        var origins = Origins.GetValueOrDefault(flow.Exporter) ?? [flow.Exporter];
        var day = random.Next(1, 29);
        var s = new Shipments.V1.Shipment
        {
            Shipper = Shippers[random.Next(Shippers.Length)],
            ExporterCountry = flow.Exporter,
            ImporterCountry = flow.Importer,
            OriginCountry = origins[random.Next(origins.Length)],
            Grade = Grades[random.Next(Grades.Length)],
            LoadDate = new Google.Type.Date { Year = year, Month = month, Day = day },
            LoadPort = "Benchmark Terminal",
            DischargePort = "Benchmark Refinery",
        };
        if (random.Next(2) == 0)
        {
            // 100,000 – 2,000,000 barrels with up to 3 decimals.
            s.Quantity = new Quantity { Unit = Quantity.Types.Unit.Barrels, Value = Dec(random.NextInt64(100_000_000, 2_000_000_000), 3) };
        }
        else
        {
            // 10,000 – 300,000 tonnes with up to 6 decimals; half with an explicit factor (7.00 – 7.60).
            s.Quantity = new Quantity { Unit = Quantity.Types.Unit.MetricTonnes, Value = Dec(random.NextInt64(10_000_000_000, 300_000_000_000), 6) };
            if (random.Next(2) == 0) s.Quantity.BarrelsPerTonne = Dec(random.Next(700, 761), 2);
        }
        if (random.Next(5) != 0)
        {
            // Whole cents, up to ~150 M USD.
            var cents = random.NextInt64(100_000_000, 15_000_000_000);
            s.Value = new Google.Type.Money { CurrencyCode = "USD", Units = cents / 100, Nanos = (int)(cents % 100) * 10_000_000 };
        }
        if (random.Next(3) != 0)
        {
            var delivery = new DateOnly(year, month, day).AddDays(random.Next(3, 40));
            s.DeliveryDate = new Google.Type.Date { Year = delivery.Year, Month = delivery.Month, Day = delivery.Day };
        }
        return new CreateShipmentRequest { Shipment = s, RequestId = Guid.NewGuid().ToString() };
    }

    /// <summary>An exact decimal string: <paramref name="scaled"/> / 10^<paramref name="scale"/>.</summary>
    public static Google.Type.Decimal Dec(long scaled, int scale) =>
        new() { Value = Scaled(scaled, scale).ToString(CultureInfo.InvariantCulture) };

    /// <summary>Exactly <paramref name="scaled"/> / 10^<paramref name="scale"/> (non-negative, no floating point).</summary>
    public static decimal Scaled(long scaled, int scale) =>
        new((int)(scaled & 0xFFFF_FFFF), (int)(scaled >> 32), 0, false, (byte)scale);

    public static decimal Parse(Google.Type.Decimal? d) =>
        d is null || string.IsNullOrEmpty(d.Value) ? 0m : decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>StartShipmentRepublish of every shipment loaded in <paramref name="year"/>.</summary>
    public static RepublishShipmentsRequest RepublishYear(int year) => new()
    {
        FirstLoadDate = new Google.Type.Date { Year = year, Month = 1, Day = 1 },
        LastLoadDate = new Google.Type.Date { Year = year, Month = 12, Day = 31 },
    };

    public static Google.Type.Date Month(int year, int month) => new() { Year = year, Month = month, Day = 0 };

    public static GetBilateralTotalsRequest Totals(string country, string partner, Google.Type.Date first, Google.Type.Date last) =>
        new() { Country = country, Partner = partner, FirstMonth = first, LastMonth = last };

    /// <summary>Retryable: the service said to retry (same request_id) or the call did not finish.</summary>
    public static bool Retryable(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded or StatusCode.Aborted;
}
