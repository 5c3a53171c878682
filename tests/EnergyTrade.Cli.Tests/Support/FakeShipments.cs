using EnergyTrade.Cli.Grpc;
using EnergyTrade.Contracts.Grades;
using EnergyTrade.Shipments.V1;
using Google.Protobuf.WellKnownTypes;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>
/// One stored shipment behind GetShipment, UpdateShipment and CancelShipment, behaving as the service
/// does: the mask names what is replaced, a stale non-zero version is ABORTED, an update that changes
/// nothing keeps the version, a cancelled shipment cannot be updated, cancelling twice changes nothing.
/// </summary>
public sealed class FakeShipments
{
    private readonly Lock _lock = new();

    public FakeShipments(FakeCallInvoker server, Shipment stored, Func<DateTimeOffset>? now = null)
    {
        Stored = stored;
        var clock = now ?? (() => DateTimeOffset.UtcNow);
        server.On<GetShipmentRequest, Shipment>(Replies.Get, r =>
        {
            lock (_lock) return r.Name == Stored.Name ? Stored.Clone() : throw NotFound(r.Name);
        });
        server.On<UpdateShipmentRequest, Shipment>(Replies.Update, r =>
        {
            lock (_lock)
            {
                BeforeUpdate?.Invoke();
                if (r.Shipment.Name != Stored.Name) throw NotFound(r.Shipment.Name);
                if (r.Shipment.Version != 0 && r.Shipment.Version != Stored.Version) throw Rpc.VersionMismatch(Stored.Name, r.Shipment.Version, Stored.Version);
                if (Stored.State == Shipment.Types.State.Cancelled) throw Rpc.Cancelled(Stored.Name);
                var merged = Stored.Clone();
                r.UpdateMask.Merge(r.Shipment, merged, new FieldMask.MergeOptions { ReplaceMessageFields = true, ReplacePrimitiveFields = true });
                Convert(merged);
                merged.Version = Stored.Version;
                merged.UpdateTime = Stored.UpdateTime;
                if (merged.Equals(Stored)) return Stored.Clone();
                merged.Version++;
                merged.UpdateTime = Timestamp.FromDateTimeOffset(clock());
                Stored = merged;
                return Stored.Clone();
            }
        });
        server.On<CancelShipmentRequest, Shipment>(Replies.Cancel, r =>
        {
            lock (_lock)
            {
                if (r.Name != Stored.Name) throw NotFound(r.Name);
                if (Stored.State == Shipment.Types.State.Cancelled) return Stored.Clone();
                if (r.Version != 0 && r.Version != Stored.Version) throw Rpc.VersionMismatch(Stored.Name, r.Version, Stored.Version);
                Stored = Stored.Clone();
                Stored.State = Shipment.Types.State.Cancelled;
                Stored.CancelReason = r.Reason;
                Stored.Version++;
                Stored.UpdateTime = Timestamp.FromDateTimeOffset(clock());
                return Stored.Clone();
            }
        });
    }

    public Shipment Stored { get; set; }

    /// <summary>Runs inside UpdateShipment before anything is checked, e.g. to change the shipment "concurrently".</summary>
    public Action? BeforeUpdate { get; set; }

    /// <summary>
    /// barrels and tonnes from the quantity, rounded half-even to 3 places, as the service computes them;
    /// a factor removed is the grade's standard one, which the reply then shows.
    /// </summary>
    private static void Convert(Shipment shipment)
    {
        var quantity = ProtoValues.ToDecimal(shipment.Quantity.Value);
        if (shipment.Quantity.BarrelsPerTonne is null)
        {
            // A copy: the merge shares the request's quantity, which the test reads back as sent.
            shipment.Quantity = shipment.Quantity.Clone();
            shipment.Quantity.BarrelsPerTonne = ProtoValues.Decimal(GradeCatalogue.Standard.StandardFactor(shipment.Grade));
        }
        var factor = ProtoValues.ToDecimal(shipment.Quantity.BarrelsPerTonne);
        var (barrels, tonnes) = shipment.Quantity.Unit == Quantity.Types.Unit.Barrels ? (quantity, quantity / factor) : (quantity * factor, quantity);
        shipment.Barrels = ProtoValues.Decimal(decimal.Round(barrels, 3) + 0.000m);
        shipment.Tonnes = ProtoValues.Decimal(decimal.Round(tonnes, 3) + 0.000m);
    }

    private static global::Grpc.Core.RpcException NotFound(string name) =>
        new(new global::Grpc.Core.Status(global::Grpc.Core.StatusCode.NotFound, $"{name} does not exist."));
}
