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
    /// Records a new shipment and its Created event: true once both are committed, false when its
    /// request_id was already held by another shipment (nothing was written).
    /// </summary>
    public Task<bool> CreateAsync(Shipment shipment) =>
        inserter.InsertAsync(shipment, Changed(shipment, ShipmentChangeKind.Created, shipment.CreateTime));

    /// <summary>
    /// Commits a change made to a shipment read through this scope's context, as its next version with
    /// its event. Throws <see cref="ConcurrentChangeException"/> when another change committed first.
    /// </summary>
    public async Task SaveChangeAsync(Shipment shipment, ShipmentChangeKind kind, DateTimeOffset now)
    {
        shipment.Version++;
        shipment.UpdateTime = now;
        db.OutboxMessages.Add(Changed(shipment, kind, now));
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

    /// <summary>The outbox row announcing <paramref name="shipment"/> as it now stands.</summary>
    public static OutboxMessage Changed(Shipment shipment, ShipmentChangeKind kind, DateTimeOffset now) => ShipmentEvents.Outbox.Create(
        new ShipmentChanged { Kind = kind, Shipment = shipment.ToSnapshot(), OccurredAt = now }, shipment.Id, now);
}

/// <summary>Another change to the shipment committed between this one's read and its write.</summary>
public sealed class ConcurrentChangeException(string shipment, Exception inner)
    : Exception($"{shipment} was changed concurrently.", inner);
