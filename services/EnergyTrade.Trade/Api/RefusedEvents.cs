using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Data;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

public static class RefusedEvents
{
    public static V1.RefusedEvent ToProto(RefusedEvent r)
    {
        var proto = new V1.RefusedEvent
        {
            MessageId = r.MessageId.ToString(),
            Shipment = r.ShipmentId == Guid.Empty ? "" : Contracts.ShipmentResourceNames.Format(r.ShipmentId),
            Version = r.Version ?? 0,
            ExporterCountry = r.ExporterCountry ?? "",
            ImporterCountry = r.ImporterCountry ?? "",
            OriginCountry = r.OriginCountry ?? "",
            Reason = r.Reason,
            RefuseTime = ProtoConvert.ToTimestamp(r.RefusedAt),
        };
        if (r.Month is { } month) proto.Month = ProtoConvert.ToProtoMonth(month);
        if (r.Barrels is { } barrels) proto.Barrels = ProtoConvert.ToProtoDecimal(barrels);
        return proto;
    }
}
