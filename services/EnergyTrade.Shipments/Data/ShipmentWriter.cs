using EnergyTrade.Contracts;
using EnergyTrade.Persistence;
using EnergyTrade.Outbox;
using EnergyTrade.Shipments.Messaging;
using EnergyTrade.Shipments.Revisions;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EnergyTrade.Shipments.Data;

/// <summary>
/// The one way a shipment is written: the row, its revision and the event that tells Trade about it
/// commit together or not at all, and every event is built from the stored row by <see cref="Changed"/>
/// (every revision holds the stored row's own image, <see cref="RevisionSql"/>). Creates go
/// through the group commit (<see cref="ShipmentInserter"/>), because they arrive by the thousand and
/// only ever conflict on request_id; amendments and cancellations go through EF, guarded by the
/// version they read.
/// </summary>
public sealed class ShipmentWriter(ShipmentsDbContext db, ShipmentInserter inserter, OutboxSignal outboxSignal)
{
    private static readonly string InsertRevision = RevisionSql.InsertFrom("s", "FROM shipments s WHERE s.id = @id",
        "@kind", "@changed_fields", "@actor_subject", "@actor_client", "@reason");

    /// <summary>
    /// Records a new shipment, its Created revision and its Created event carrying <paramref name="snapshot"/>
    /// (the shipment's snapshot, as the caller checked it): true once all are committed, false when its
    /// request_id was already held by another shipment (nothing was written).
    /// </summary>
    public Task<bool> CreateAsync(Shipment shipment, ShipmentSnapshot snapshot, RevisionNote note) =>
        inserter.InsertAsync(shipment, Changed(snapshot, ShipmentChangeKind.Created, shipment.CreateTime), note);

    /// <summary>
    /// Commits a change made to a shipment read through this scope's context, as its next version with
    /// its revision and event. Throws <see cref="ConcurrentChangeException"/> when another change committed first.
    /// </summary>
    public async Task SaveChangeAsync(Shipment shipment, ShipmentChangeKind kind, DateTimeOffset now, RevisionNote note)
    {
        shipment.Version++;
        // Versions are ordered by update_time too (Trade's as-of reads), so it must grow strictly with the
        // version even when this replica's clock is behind the one that wrote the previous version.
        // PostgreSQL keeps microseconds: one is the smallest step it keeps.
        var next = shipment.UpdateTime.AddTicks(TimeSpan.TicksPerMicrosecond);
        shipment.UpdateTime = now > next ? now : next;
        db.OutboxMessages.Add(Changed(shipment.ToSnapshot(), kind, shipment.UpdateTime));
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new ConcurrentChangeException(shipment.Name, ex);
        }
        // From the row just saved, so the revision is exactly what is stored.
        var written = await db.Database.ExecuteSqlRawAsync(InsertRevision,
            [
                new NpgsqlParameter("id", shipment.Id),
                new NpgsqlParameter("kind", RevisionKindOf(kind).ToString()),
                new NpgsqlParameter("changed_fields", note.ChangedFields.ToArray()),
                new NpgsqlParameter("actor_subject", (object?)note.Actor.Subject ?? DBNull.Value) { DataTypeName = "text" },
                new NpgsqlParameter("actor_client", (object?)note.Actor.Client ?? DBNull.Value) { DataTypeName = "text" },
                new NpgsqlParameter("reason", (object?)note.Reason ?? DBNull.Value) { DataTypeName = "text" },
            ],
            CancellationToken.None);
        if (written != 1) throw new InvalidOperationException($"{shipment.Name} was saved but {written} revisions were written for it.");
        // Only a COMMIT that was sent and never answered leaves the outcome unknown; any failure before it rolled back.
        await WriteOutcomeUnknownException.Guard(() => transaction.CommitAsync(CancellationToken.None));
        outboxSignal.Notify();
    }

    private static RevisionKind RevisionKindOf(ShipmentChangeKind kind) => kind switch
    {
        ShipmentChangeKind.Updated => RevisionKind.Updated,
        ShipmentChangeKind.Cancelled => RevisionKind.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Creates are written by the group commit; republishing makes no version."),
    };

    /// <summary>The outbox row announcing a shipment as <paramref name="snapshot"/> shows it.</summary>
    public static OutboxMessage Changed(ShipmentSnapshot snapshot, ShipmentChangeKind kind, DateTimeOffset now) => ShipmentEvents.Outbox.Create(
        new ShipmentChanged { Kind = kind, Shipment = snapshot, OccurredAt = now }, snapshot.ShipmentId, now);
}
