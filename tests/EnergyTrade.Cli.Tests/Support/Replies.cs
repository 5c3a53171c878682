using EnergyTrade.Cli.Grpc;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>Replies a Shipments service would give, and the seed scenario's totals.</summary>
public static class Replies
{
    public const string Create = "CreateShipment";
    public const string Import = "ImportShipments";
    public const string Get = "GetShipment";
    public const string List = "ListShipments";
    public const string Summarize = "SummarizeShipments";
    public const string Totals = "GetBilateralTotals";
    public const string Update = "UpdateShipment";
    public const string Cancel = "CancelShipment";
    public const string StartRepublish = "StartShipmentRepublish";
    public const string GetOperation = "GetOperation";
    public const string CancelOperation = "CancelOperation";
    public const string Series = "GetTradeSeries";
    public const string Compare = "CompareBilateralTotals";
    public const string Partners = "ListPartners";
    public const string Watch = "WatchBilateralTotals";
    public const string RefusedEvents = "ListRefusedEvents";
    public const string Revisions = "GetRevisionReport";

    /// <summary>The seed's cargoes by month: shipments, barrels and tonnes (the barrel lots converted at 7.33 bbl/t).</summary>
    public static readonly IReadOnlyList<(int Month, long Shipments, decimal Barrels, decimal Tonnes)> SeedMonths =
    [
        (1, 1, 700_000.000m, 95_497.954m),
        (2, 1, 1_200_000.000m, 163_710.778m),
        (3, 2, 1_255_000.000m, 170_000.000m),
        (4, 1, 675_000.000m, 90_000.000m),
    ];

    public const string UralsName = "shipments/5b0c2f4e-1a3d-4e6f-8a9b-0c1d2e3f4a5b";

    /// <summary>The seed's March Urals cargo as Shipments returns it: 80,000 t at 7.25 bbl/t = 580,000 bbl.</summary>
    public static Shipment UralsCargo() => new()
    {
        Name = UralsName,
        Shipper = "SOCAR",
        ExporterCountry = "AZ",
        ImporterCountry = "BY",
        OriginCountry = "RU",
        Grade = "Urals",
        Quantity = new Quantity { Value = ProtoValues.Decimal(80000m), Unit = Quantity.Types.Unit.MetricTonnes, BarrelsPerTonne = ProtoValues.Decimal(7.25m) },
        Barrels = ProtoValues.Decimal(580_000.000m),
        Tonnes = ProtoValues.Decimal(80_000.000m),
        LoadDate = new Google.Type.Date { Year = 2020, Month = 3, Day = 15 },
        LoadPort = "Novorossiysk",
        DischargePort = "Odesa",
        State = Shipment.Types.State.Active,
        Version = 1,
        CreateTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
        UpdateTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
    };

    /// <summary>What Shipments' SummarizeShipments(AZ, BY, 2020-01..2020-04) answers for the seed: the same figures as <see cref="SeedTotals"/>.</summary>
    public static ShipmentSummary SeedSummary()
    {
        var summary = new ShipmentSummary
        {
            Country = "AZ",
            Partner = "BY",
            Exports = SummaryFlow(5, 3_830_000.000m, 519_208.732m),
            Imports = SummaryFlow(0, 0m, 0m),
        };
        foreach (var (month, count, barrels, tonnes) in SeedMonths)
        {
            summary.Months.Add(new MonthSummary
            {
                Month = new Google.Type.Date { Year = 2020, Month = month },
                Exports = SummaryFlow(count, barrels, tonnes),
                Imports = SummaryFlow(0, 0m, 0m),
            });
        }
        return summary;
    }

    /// <summary>GetTradeSeries(AZ, BY) for the seed over the months asked for, zeros where nothing moved.</summary>
    public static TradeSeries SeedSeries(GetTradeSeriesRequest request)
    {
        var series = new TradeSeries { Country = request.Country, Partner = request.Partner, Basis = EnergyTrade.Types.V1.Basis.Commercial };
        for (var m = new DateOnly(request.FirstMonth.Year, request.FirstMonth.Month, 1); m <= new DateOnly(request.LastMonth.Year, request.LastMonth.Month, 1); m = m.AddMonths(1))
        {
            var seed = SeedMonths.FirstOrDefault(s => m.Year == 2020 && s.Month == m.Month);
            series.Months.Add(new MonthlyTotals
            {
                Month = new Google.Type.Date { Year = m.Year, Month = m.Month },
                Exports = Flow(seed.Shipments, seed.Barrels, seed.Tonnes),
                Imports = Flow(0, 0m, 0m),
                Turnover = ProtoValues.Money(0m),
                Balance = ProtoValues.Money(0m),
            });
        }
        return series;
    }

    /// <summary>CompareBilateralTotals(AZ, BY, 2020-01..2020-04): the seed against four valued cargoes a year earlier.</summary>
    public static BilateralComparison SeedComparison()
    {
        var previous = SeedTotals();
        previous.FirstMonth = new Google.Type.Date { Year = 2019, Month = 1 };
        previous.LastMonth = new Google.Type.Date { Year = 2019, Month = 4 };
        previous.Exports = Flow(4, 3_000_000.000m, 409_276.944m, 150_000_000m, 4);
        return new BilateralComparison
        {
            Current = SeedTotals(),
            Previous = previous,
            ExportsValue = Change(150_000_000.00m, 0.00m, -100.00m),
            ImportsValue = Change(0m, 0m, null),
            TurnoverValue = Change(150_000_000.00m, 0.00m, -100.00m),
            ExportsBarrels = Change(3_000_000.000m, 3_830_000.000m, 27.67m),
            ImportsBarrels = Change(0m, 0m, null),
            TurnoverBarrels = Change(3_000_000.000m, 3_830_000.000m, 27.67m),
        };
    }

    /// <summary>A Change as the service computes one: the percent is unset when the earlier figure is zero.</summary>
    private static Change Change(decimal previous, decimal current, decimal? percent) => new()
    {
        Previous = ProtoValues.Decimal(previous),
        Current = ProtoValues.Decimal(current),
        Absolute = ProtoValues.Decimal(current - previous),
        Percent = percent is { } p ? ProtoValues.Decimal(p) : null,
    };

    public static FlowTotals Flow(long shipments, decimal barrels, decimal tonnes, decimal value = 0m, long valued = 0) => new()
    {
        ShipmentCount = shipments, Barrels = ProtoValues.Decimal(barrels), Tonnes = ProtoValues.Decimal(tonnes), Value = ProtoValues.Money(value),
        ValuedShipmentCount = valued,
    };

    private static FlowSummary SummaryFlow(long shipments, decimal barrels, decimal tonnes) => new()
    {
        ShipmentCount = shipments, Barrels = ProtoValues.Decimal(barrels), Tonnes = ProtoValues.Decimal(tonnes), Value = ProtoValues.Money(0m),
    };

    public static Shipment Recorded(CreateShipmentRequest request, DateTimeOffset createdAt)
    {
        var shipment = request.Shipment.Clone();
        shipment.Name = "shipments/" + Guid.NewGuid();
        shipment.State = Shipment.Types.State.Active;
        shipment.Version = 1;
        shipment.CreateTime = shipment.UpdateTime = Timestamp.FromDateTimeOffset(createdAt);
        return shipment;
    }

    /// <summary>GetBilateralTotals(AZ, BY, 2020-01..2020-04) once the five seed cargoes are in.</summary>
    public static BilateralTotals SeedTotals() => new()
    {
        Country = "AZ",
        Partner = "BY",
        FirstMonth = new Google.Type.Date { Year = 2020, Month = 1 },
        LastMonth = new Google.Type.Date { Year = 2020, Month = 4 },
        Basis = EnergyTrade.Types.V1.Basis.Commercial,
        Exports = new FlowTotals
        {
            ShipmentCount = 5,
            Barrels = ProtoValues.Decimal(3_830_000.000m),
            Tonnes = ProtoValues.Decimal(519_208.732m),
            Value = ProtoValues.Money(0m),
            BarrelsPerDay = ProtoValues.Decimal(31_652.893m),
            ByOrigin =
            {
                new OriginTotals { OriginCountry = "AZ", ShipmentCount = 3, Barrels = ProtoValues.Decimal(2_050_000.000m), Tonnes = ProtoValues.Decimal(275_497.954m), Value = ProtoValues.Money(0m) },
                new OriginTotals { OriginCountry = "KZ", ShipmentCount = 1, Barrels = ProtoValues.Decimal(1_200_000.000m), Tonnes = ProtoValues.Decimal(163_710.778m), Value = ProtoValues.Money(0m) },
                new OriginTotals { OriginCountry = "RU", ShipmentCount = 1, Barrels = ProtoValues.Decimal(580_000.000m), Tonnes = ProtoValues.Decimal(80_000.000m), Value = ProtoValues.Money(0m) },
            },
        },
        Imports = new FlowTotals { Barrels = ProtoValues.Decimal(0m), Tonnes = ProtoValues.Decimal(0m), Value = ProtoValues.Money(0m) },
        Turnover = ProtoValues.Money(0m),
        Balance = ProtoValues.Money(0m),
    };
}
