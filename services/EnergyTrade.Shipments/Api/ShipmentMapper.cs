using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Data;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

public static class ShipmentMapper
{
    public static V1.Shipment ToProto(this Shipment s)
    {
        var proto = new V1.Shipment
        {
            Name = s.Name,
            Shipper = s.Shipper,
            ExporterCountry = s.ExporterCountry,
            ImporterCountry = s.ImporterCountry,
            OriginCountry = s.OriginCountry,
            Grade = s.Grade,
            Quantity = new V1.Quantity
            {
                Value = ProtoConvert.ToProtoDecimal(s.QuantityValue),
                Unit = s.QuantityUnit == QuantityUnit.Barrels ? V1.Quantity.Types.Unit.Barrels : V1.Quantity.Types.Unit.MetricTonnes,
                BarrelsPerTonne = s.BarrelsPerTonneGiven ? ProtoConvert.ToProtoDecimal(s.BarrelsPerTonne) : null,
            },
            Barrels = ProtoConvert.ToProtoDecimal(s.Barrels),
            Tonnes = ProtoConvert.ToProtoDecimal(s.Tonnes),
            LoadDate = ProtoConvert.ToProtoDate(s.LoadDate),
            LoadPort = s.LoadPort ?? "",
            DischargePort = s.DischargePort ?? "",
            State = s.State == ShipmentState.Cancelled ? V1.Shipment.Types.State.Cancelled : V1.Shipment.Types.State.Active,
            Version = s.Version,
            CancelReason = s.CancelReason ?? "",
            CreateTime = ProtoConvert.ToTimestamp(s.CreateTime),
            UpdateTime = ProtoConvert.ToTimestamp(s.UpdateTime),
        };
        if (s.ValueUsd is { } usd) proto.Value = ProtoConvert.ToProtoMoney(usd);
        if (s.DeliveryDate is { } delivered) proto.DeliveryDate = ProtoConvert.ToProtoDate(delivered);
        return proto;
    }

    public static void Apply(this Shipment s, ShipmentInput input)
    {
        (s.Barrels, s.Tonnes) = Quantities.Normalise(input.QuantityValue, input.QuantityUnit, input.BarrelsPerTonne);
        s.Shipper = input.Shipper;
        s.ExporterCountry = input.ExporterCountry;
        s.ImporterCountry = input.ImporterCountry;
        s.OriginCountry = input.OriginCountry;
        s.Grade = input.Grade;
        s.QuantityValue = input.QuantityValue;
        s.QuantityUnit = input.QuantityUnit;
        s.BarrelsPerTonne = input.BarrelsPerTonne;
        s.BarrelsPerTonneGiven = input.BarrelsPerTonneGiven;
        s.ValueUsd = input.ValueUsd;
        s.LoadDate = input.LoadDate;
        s.DeliveryDate = input.DeliveryDate;
        s.LoadPort = input.LoadPort;
        s.DischargePort = input.DischargePort;
    }
}
