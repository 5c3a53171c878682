using EnergyTrade.Cli.Grpc;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.Cli.Input;

/// <summary>
/// A shipment as typed on the command line or read from a CSV row, already parsed into exact values.
/// Business rules (known countries, positive quantities, whole cents, ...) are left to the service,
/// which reports all of them at once.
/// </summary>
public sealed record ShipmentDraft
{
    public required string RequestId { get; init; }
    public string Shipper { get; init; } = "";
    public string Buyer { get; init; } = "";
    public required string ExporterCountry { get; init; }
    public required string ImporterCountry { get; init; }
    public required string OriginCountry { get; init; }
    public required string Grade { get; init; }
    public required decimal Quantity { get; init; }
    public required QuantityUnit Unit { get; init; }
    public decimal? BarrelsPerTonne { get; init; }
    public decimal? ValueUsd { get; init; }
    public required DateOnly LoadDate { get; init; }
    public DateOnly? DeliveryDate { get; init; }
    public string LoadPort { get; init; } = "";
    public string DischargePort { get; init; } = "";

    public CreateShipmentRequest ToRequest()
    {
        var shipment = new Shipment
        {
            Shipper = Shipper,
            Buyer = Buyer,
            ExporterCountry = ExporterCountry,
            ImporterCountry = ImporterCountry,
            OriginCountry = OriginCountry,
            Grade = Grade,
            Quantity = new Quantity
            {
                Value = ProtoValues.Decimal(Quantity),
                Unit = Unit == QuantityUnit.Barrels ? Shipments.V1.Quantity.Types.Unit.Barrels : Shipments.V1.Quantity.Types.Unit.MetricTonnes,
            },
            LoadDate = ProtoValues.Date(LoadDate),
            LoadPort = LoadPort,
            DischargePort = DischargePort,
        };
        if (BarrelsPerTonne is { } factor) shipment.Quantity.BarrelsPerTonne = ProtoValues.Decimal(factor);
        if (ValueUsd is { } usd) shipment.Value = ProtoValues.Money(usd);
        if (DeliveryDate is { } delivered) shipment.DeliveryDate = ProtoValues.Date(delivered);
        return new CreateShipmentRequest { Shipment = shipment, RequestId = RequestId };
    }
}
