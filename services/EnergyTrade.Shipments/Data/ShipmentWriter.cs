using EnergyTrade.Contracts;
using EnergyTrade.Persistence;
using EnergyTrade.Outbox;
using EnergyTrade.Shipments.Messaging;
using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Shipments.Data;

/// <summary>
/// The one way a shipment is written: the row and the event that tells Trade about it commit together
/// or not at all, and every event is built from the stored row by <see cref="Changed"/>. Creates go
/// through the group commit (<see cref="ShipmentInserter"/>), because they arrive by the thousand and
/// only ever conflict on request_id; amendments and cancellations go through EF, guarded by the
/// version they read.
/// </summary>
public sealed class ShipmentWriter(ShipmentsDbContext db, ShipmentInserter inserter, OutboxSignal outboxSignal)
{
    /// <summary>
    /// Records a new shipment and its Created event carrying <paramref name="snapshot"/> (the shipment's
    /// snapshot, as the caller checked it): true once both are committed, false when its request_id was
    /// already held by another shipment (nothing was written).
    /// </summary>
    public Task<bool> CreateAsync(Shipment shipment, ShipmentSnapshot snapshot) =>
        inserter.InsertAsync(shipment, Changed(snapshot, ShipmentChangeKind.Created, shipment.CreateTime));

    /// <summary>
    /// Commits a change made to a shipment read through this scope's context, as its next version with
    /// its event. Throws <see cref="ConcurrentChangeException"/> when another change committed first.
    /// </summary>
    public async Task SaveChangeAsync(Shipment shipment, ShipmentChangeKind kind, DateTimeOffset now)
    {
        shipment.Version++;
        shipment.UpdateTime = now;
        db.OutboxMessages.Add(Changed(shipment.ToSnapshot(), kind, now));
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new ConcurrentChangeException(shipment.Name, ex);
        }
        // Only a COMMIT that was sent and never answered leaves the outcome unknown; any failure before it rolled back.
        await WriteOutcomeUnknownException.Guard(() => transaction.CommitAsync(CancellationToken.None));
        outboxSignal.Notify();
    }

    /// <summary>The outbox row announcing a shipment as <paramref name="snapshot"/> shows it.</summary>
    public static OutboxMessage Changed(ShipmentSnapshot snapshot, ShipmentChangeKind kind, DateTimeOffset now) => ShipmentEvents.Outbox.Create(
        new ShipmentChanged { Kind = kind, Shipment = snapshot, OccurredAt = now }, snapshot.ShipmentId, now);
}
