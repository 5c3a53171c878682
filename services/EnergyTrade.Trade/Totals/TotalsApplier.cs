using EnergyTrade.Contracts;
using EnergyTrade.Trade.Refusals;
using Npgsql;
using NpgsqlTypes;

namespace EnergyTrade.Trade.Totals;

/// <summary>
/// PostgreSQL could not queue the change notification (SQLSTATE 54000 from pg_notify). The apply
/// rolled back; retrying later succeeds once listeners have drained the queue.
/// </summary>
public sealed class NotificationQueueFullException(PostgresException inner)
    : Exception("PostgreSQL's notification queue is full; the apply was rolled back and will be retried.", inner);

/// <summary>A snapshot as it arrived, with the broker message that carried it.</summary>
public sealed record IncomingSnapshot(ShipmentSnapshot Snapshot, Guid? MessageId);

/// <summary>How many snapshots changed the totals and how many were duplicates or older versions.</summary>
public sealed record ApplyResult(int Applied, int Ignored);

/// <summary>
/// Applies shipment snapshots to the totals in one transaction: each shipment's previous
/// contribution is replaced by its newest version's, and a version not newer than the one recorded
/// in applied_shipments changes nothing. Idempotence therefore comes from the data, not from
/// remembering message ids, and holds for any order and any number of deliveries.
/// </summary>
public sealed class TotalsApplier(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<ApplyResult> ApplyAsync(IReadOnlyCollection<IncomingSnapshot> incoming, CancellationToken cancellationToken)
    {
        // Within one batch only the newest version of each shipment matters.
        var newest = incoming
            .GroupBy(i => i.Snapshot.ShipmentId)
            .Select(g => g.MaxBy(i => i.Snapshot.Version)!)
            .ToDictionary(i => i.Snapshot.ShipmentId);
        var ids = newest.Keys.ToArray();
        var now = time.GetUtcNow();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // A placeholder row gives a never-seen shipment something to lock, so two consumers that
        // receive versions of the same new shipment at once serialise instead of both adding it.
        // Claim and lock travel in one round trip (with the BEGIN): at low rates a batch is a
        // shipment or two, and round trips, not rows, are what the apply costs.
        var current = new Dictionary<Guid, (long Version, Contribution? Contribution)>();
        await using (var claimAndLock = new NpgsqlBatch(connection, transaction))
        {
            var claim = new NpgsqlBatchCommand("""
                INSERT INTO applied_shipments (shipment_id, version, contributes, barrels, tonnes, applied_at)
                SELECT id, 0, false, 0, 0, $2 FROM unnest($1::uuid[]) AS id ORDER BY id
                ON CONFLICT (shipment_id) DO NOTHING
                """);
            claim.Parameters.Add(new NpgsqlParameter { Value = ids });
            claim.Parameters.Add(new NpgsqlParameter { Value = now });
            var select = new NpgsqlBatchCommand("""
                SELECT shipment_id, version, contributes, exporter_country, importer_country, origin_country, month, barrels, tonnes, value_usd
                FROM applied_shipments WHERE shipment_id = ANY($1) ORDER BY shipment_id FOR UPDATE
                """);
            select.Parameters.Add(new NpgsqlParameter { Value = ids });
            claimAndLock.BatchCommands.Add(claim);
            claimAndLock.BatchCommands.Add(select);
            // A refusal recorded while a newer version was being applied elsewhere goes here.
            claimAndLock.BatchCommands.Add(RefusalLog.ClearSuperseded(ids));
            // The INSERT returns no rows, so the reader starts at the SELECT's.
            await using var reader = await claimAndLock.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var contribution = reader.GetBoolean(2)
                    ? new Contribution(
                        new TotalsKey(reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetFieldValue<DateOnly>(6)),
                        reader.GetDecimal(7), reader.GetDecimal(8), reader.IsDBNull(9) ? null : reader.GetDecimal(9))
                    : null;
                current[reader.GetGuid(0)] = (reader.GetInt64(1), contribution);
            }
        }

        var plan = new DeltaPlan();
        var accepted = new List<IncomingSnapshot>();
        foreach (var (id, item) in newest)
        {
            var (version, previous) = current[id];
            if (item.Snapshot.Version <= version) continue;
            plan.Replace(previous, Contribution.Of(item.Snapshot));
            accepted.Add(item);
        }

        if (accepted.Count > 0)
        {
            var deltas = plan.Deltas();
            // One round trip for the record, the totals and the notification.
            await using var write = new NpgsqlBatch(connection, transaction);
            write.BatchCommands.Add(RecordApplied(accepted, now));
            write.BatchCommands.Add(RefusalLog.ClearSuperseded(accepted.Select(a => a.Snapshot.ShipmentId).ToArray()));
            NpgsqlBatchCommand? notify = null;
            if (deltas.Count > 0)
            {
                write.BatchCommands.Add(UpsertTotals(deltas, now));
                write.BatchCommands.Add(notify = Notify(deltas));
            }
            try
            {
                await write.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex) when (notify is not null && ex.BatchCommand == notify)
            {
                // A full notification queue (a listener that stopped reading) says nothing about the
                // event: the whole apply rolled back and is retried until the queue drains.
                throw new NotificationQueueFullException(ex);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return new ApplyResult(accepted.Count, incoming.Count - accepted.Count);
    }

    private static NpgsqlBatchCommand RecordApplied(List<IncomingSnapshot> accepted, DateTimeOffset now)
    {
        var contributions = accepted.Select(a => Contribution.Of(a.Snapshot)).ToList();
        var update = new NpgsqlBatchCommand("""
            UPDATE applied_shipments AS a SET
                version = u.version, contributes = u.contributes,
                exporter_country = u.exporter, importer_country = u.importer, origin_country = u.origin, month = u.month,
                barrels = u.barrels, tonnes = u.tonnes, value_usd = u.value_usd, message_id = u.message_id, applied_at = @now
            FROM unnest(@ids, @versions, @contributes, @exporters, @importers, @origins, @months, @barrels, @tonnes, @values, @messageIds)
                AS u(shipment_id, version, contributes, exporter, importer, origin, month, barrels, tonnes, value_usd, message_id)
            WHERE a.shipment_id = u.shipment_id
            """);
        update.Parameters.AddWithValue("now", now);
        update.Parameters.AddWithValue("ids", accepted.Select(a => a.Snapshot.ShipmentId).ToArray());
        update.Parameters.AddWithValue("versions", accepted.Select(a => a.Snapshot.Version).ToArray());
        update.Parameters.AddWithValue("contributes", contributions.Select(c => c is not null).ToArray());
        update.Parameters.Add(new NpgsqlParameter("exporters", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = contributions.Select(c => c?.Key.ExporterCountry).ToArray() });
        update.Parameters.Add(new NpgsqlParameter("importers", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = contributions.Select(c => c?.Key.ImporterCountry).ToArray() });
        update.Parameters.Add(new NpgsqlParameter("origins", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = contributions.Select(c => c?.Key.OriginCountry).ToArray() });
        update.Parameters.Add(new NpgsqlParameter("months", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = contributions.Select(c => c?.Key.Month).ToArray() });
        update.Parameters.AddWithValue("barrels", contributions.Select(c => c?.Barrels ?? 0).ToArray());
        update.Parameters.AddWithValue("tonnes", contributions.Select(c => c?.Tonnes ?? 0).ToArray());
        update.Parameters.Add(new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { Value = contributions.Select(c => c?.ValueUsd).ToArray() });
        update.Parameters.Add(new NpgsqlParameter("messageIds", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = accepted.Select(a => a.MessageId).ToArray() });
        return update;
    }

    /// <summary>
    /// Tells every Trade replica's watchers which flows changed. NOTIFY inside the transaction is
    /// delivered only if it commits, and only after the new totals are visible.
    /// </summary>
    private static NpgsqlBatchCommand Notify(IReadOnlyList<TotalsDelta> deltas)
    {
        var notify = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @payload)");
        notify.Parameters.AddWithValue("channel", TotalsChange.Channel);
        notify.Parameters.AddWithValue("payload", TotalsChange.Encode(deltas.Select(d => d.Key)));
        return notify;
    }

    private static NpgsqlBatchCommand UpsertTotals(IReadOnlyList<TotalsDelta> deltas, DateTimeOffset now)
    {
        var upsert = new NpgsqlBatchCommand("""
            INSERT INTO bilateral_totals AS t
                (exporter_country, importer_country, origin_country, month, shipment_count, barrels, tonnes, value_usd, valued_shipment_count, updated_at)
            SELECT e, i, o, m, c, b, tn, v, vc, @now
            FROM unnest(@exporters, @importers, @origins, @months, @counts, @barrels, @tonnes, @values, @valuedCounts)
                AS d(e, i, o, m, c, b, tn, v, vc)
            ORDER BY e, i, o, m
            ON CONFLICT (exporter_country, importer_country, origin_country, month) DO UPDATE SET
                shipment_count = t.shipment_count + excluded.shipment_count,
                barrels = t.barrels + excluded.barrels,
                tonnes = t.tonnes + excluded.tonnes,
                value_usd = t.value_usd + excluded.value_usd,
                valued_shipment_count = t.valued_shipment_count + excluded.valued_shipment_count,
                updated_at = excluded.updated_at
            """);
        upsert.Parameters.AddWithValue("now", now);
        upsert.Parameters.AddWithValue("exporters", deltas.Select(d => d.Key.ExporterCountry).ToArray());
        upsert.Parameters.AddWithValue("importers", deltas.Select(d => d.Key.ImporterCountry).ToArray());
        upsert.Parameters.AddWithValue("origins", deltas.Select(d => d.Key.OriginCountry).ToArray());
        upsert.Parameters.AddWithValue("months", deltas.Select(d => d.Key.Month).ToArray());
        upsert.Parameters.AddWithValue("counts", deltas.Select(d => d.ShipmentCount).ToArray());
        upsert.Parameters.AddWithValue("barrels", deltas.Select(d => d.Barrels).ToArray());
        upsert.Parameters.AddWithValue("tonnes", deltas.Select(d => d.Tonnes).ToArray());
        upsert.Parameters.AddWithValue("values", deltas.Select(d => d.ValueUsd).ToArray());
        upsert.Parameters.AddWithValue("valuedCounts", deltas.Select(d => d.ValuedShipmentCount).ToArray());
        return upsert;
    }
}
