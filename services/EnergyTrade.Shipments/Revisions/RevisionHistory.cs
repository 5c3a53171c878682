using EnergyTrade.Shipments.Data;
using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Shipments.Revisions;

/// <summary>Reads a shipment's revisions, newest first, each with the shipment as it stood.</summary>
public sealed class RevisionHistory(ShipmentsDbContext db)
{
    public sealed record Entry(ShipmentRevision Revision, Shipment Shipment);

    /// <summary>Up to <paramref name="count"/> revisions older than <paramref name="beforeVersion"/> (all when null), newest first.</summary>
    public async Task<IReadOnlyList<Entry>> ReadAsync(Guid shipmentId, long? beforeVersion, int count, CancellationToken cancellationToken)
    {
        var before = beforeVersion ?? long.MaxValue;
        // The image is left out here and read below as a Shipment.
        var revisions = await db.ShipmentRevisions.AsNoTracking()
            .Where(r => r.ShipmentId == shipmentId && r.Version < before)
            .OrderByDescending(r => r.Version)
            .Take(count)
            .Select(r => new ShipmentRevision
            {
                ShipmentId = r.ShipmentId,
                Version = r.Version,
                UpdateTime = r.UpdateTime,
                Kind = r.Kind,
                ChangedFields = r.ChangedFields,
                ActorSubject = r.ActorSubject,
                ActorClient = r.ActorClient,
                Reason = r.Reason,
            })
            .ToListAsync(cancellationToken);
        if (revisions.Count == 0) return [];

        // The images back into shipments rows, so EF maps them exactly as it maps the table. In FROM
        // (LATERAL) rather than as (jsonb_populate_record(…)).* in the select list, which PostgreSQL
        // would evaluate once per column. No tracking: every version has the same key.
        var low = revisions[^1].Version;
        var high = revisions[0].Version;
        var images = await db.Shipments.FromSql($"""
                SELECT p.* FROM shipment_revisions r
                CROSS JOIN LATERAL jsonb_populate_record(NULL::shipments, r.shipment) AS p
                WHERE r.shipment_id = {shipmentId} AND r.version BETWEEN {low} AND {high}
                """)
            .AsNoTracking()
            .ToDictionaryAsync(s => s.Version, cancellationToken);
        return revisions.Select(r => new Entry(r, images[r.Version])).ToList();
    }
}
