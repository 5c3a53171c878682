using EnergyTrade.ServiceDefaults;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

internal static class FlowChanges
{
    public static V1.FlowChange ToProto(long shipmentCount, decimal barrels, decimal tonnes, decimal valueUsd) => new()
    {
        ShipmentCount = shipmentCount,
        Barrels = ProtoConvert.ToProtoDecimal(barrels),
        Tonnes = ProtoConvert.ToProtoDecimal(tonnes),
        Value = ProtoConvert.ToProtoMoney(valueUsd),
    };
}
