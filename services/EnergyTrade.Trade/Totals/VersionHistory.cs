using EnergyTrade.Persistence;
using EnergyTrade.Trade.Data;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace EnergyTrade.Trade.Totals;

/// <summary>
/// Keeps shipment_versions, the history as-of answers are summed from: every version received is
/// recorded, however late, duplicated or out of order, and each version's span ends where the next
/// known version's begins. Written in the apply's transaction, after it has locked the shipments'
/// applied_shipments rows, so no two applies rewrite one shipment's spans at once.
/// </summary>
internal sealed class VersionHistory
{
    private readonly UnnestRows<ShipmentVersion> _rows;
    private readonly string _recordSql;

    private VersionHistory(UnnestRows<ShipmentVersion> rows, string recordSql)
    {
        _rows = rows;
        _recordSql = recordSql;
    }

    public static VersionHistory For(IModel model)
    {
        var rows = new UnnestRows<ShipmentVersion>(model, "v");
        var id = rows.ColumnOf(nameof(ShipmentVersion.ShipmentId));
        var version = rows.ColumnOf(nameof(ShipmentVersion.Version));
        var validUntil = rows.ColumnOf(nameof(ShipmentVersion.ValidUntil));
        var content = rows.ColumnList.Split(", ").Where(c => c != id && c != version && c != validUntil).ToArray();
        var current = string.Join(", ", content.Select(c => "v." + c));
        var received = string.Join(", ", content.Select(c => "excluded." + c));
        // A version never changes in Shipments, so a copy received again is normally identical and
        // writes nothing. It differs only from a row carried over from before Trade kept history
        // (its time was when Trade applied it, its names may be missing): the event is the authority.
        return new VersionHistory(rows, $"""
            INSERT INTO {rows.Table} AS v ({rows.ColumnList})
            SELECT * FROM {rows.Source("r")} ORDER BY {id}, {version}
            ON CONFLICT ({id}, {version}) DO UPDATE SET ({string.Join(", ", content)}) = ROW({received})
            WHERE ({current}) IS DISTINCT FROM ({received})
            """);
    }

    /// <summary>Records each distinct version among <paramref name="incoming"/>.</summary>
    public NpgsqlBatchCommand Record(IEnumerable<IncomingSnapshot> incoming)
    {
        var command = new NpgsqlBatchCommand(_recordSql);
        _rows.Bind(command.Parameters, incoming
            .DistinctBy(i => (i.Snapshot.ShipmentId, i.Snapshot.Version))
            .Select(i => Row(i.Snapshot))
            .ToList());
        return command;
    }

    /// <summary>
    /// Sets each version's end to the next known version's start, for every version of these
    /// shipments; only rows whose end moves are written (the previous newest, when a newer one
    /// arrived; a neighbour, when an older one arrived late).
    /// </summary>
    public static NpgsqlBatchCommand CloseSpans(Guid[] shipmentIds)
    {
        var command = new NpgsqlBatchCommand("""
            UPDATE shipment_versions AS v SET valid_until = n.next
            FROM (SELECT shipment_id, version, lead(valid_from) OVER (PARTITION BY shipment_id ORDER BY version) AS next
                  FROM shipment_versions WHERE shipment_id = ANY($1)) AS n
            WHERE v.shipment_id = n.shipment_id AND v.version = n.version AND v.valid_until IS DISTINCT FROM n.next
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = shipmentIds });
        return command;
    }

    private static ShipmentVersion Row(Contracts.ShipmentSnapshot s) =>
        new ShipmentVersion { ShipmentId = s.ShipmentId, Version = s.Version, ValidFrom = s.UpdateTime.ToUniversalTime() }
            .WithContribution(Contribution.Of(s));
}
