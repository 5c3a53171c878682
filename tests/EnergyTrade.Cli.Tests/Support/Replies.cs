using EnergyTrade.Cli.Grpc;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>Replies a Shipments service would give, and the seed scenario's totals.</summary>
public static class Replies
{
    public const string Create = "CreateShipment";
    public const string Get = "GetShipment";
    public const string List = "ListShipments";
    public const string Summarize = "SummarizeShipments";
    public const string Totals = "GetBilateralTotals";

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
        Basis = EnergyTrade.Trade.V1.Basis.Commercial,
        Exports = new FlowTotals
        {
            ShipmentCount = 5,
            Barrels = ProtoValues.Decimal(3_830_000.000m),
            Tonnes = ProtoValues.Decimal(519_208.732m),
            Value = ProtoValues.Money(0m),
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
