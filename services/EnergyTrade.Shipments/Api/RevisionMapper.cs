using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Data;
using EnergyTrade.Shipments.Revisions;
using Google.Protobuf.WellKnownTypes;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

public static class RevisionMapper
{
    public static V1.ShipmentRevision ToProto(this RevisionHistory.Entry entry)
    {
        var (revision, shipment) = (entry.Revision, entry.Shipment);
        var changed = new FieldMask();
        changed.Paths.AddRange(revision.ChangedFields);
        return new V1.ShipmentRevision
        {
            Name = ShipmentNames.FormatRevision(revision.ShipmentId, revision.Version),
            Shipment = shipment.ToProto(),
            UpdateTime = ProtoConvert.ToTimestamp(revision.UpdateTime),
            Kind = revision.Kind switch
            {
                RevisionKind.Recorded => V1.RevisionKind.Recorded,
                RevisionKind.Created => V1.RevisionKind.Created,
                RevisionKind.Updated => V1.RevisionKind.Updated,
                RevisionKind.Cancelled => V1.RevisionKind.Cancelled,
                _ => V1.RevisionKind.Unspecified,
            },
            ChangedFields = changed,
            ActorSubject = revision.ActorSubject ?? "",
            ActorClient = revision.ActorClient ?? "",
            Reason = revision.Reason ?? "",
        };
    }
}
