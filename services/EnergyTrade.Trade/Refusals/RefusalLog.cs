using EnergyTrade.Contracts;
using EnergyTrade.Trade.Data;
using Npgsql;

namespace EnergyTrade.Trade.Refusals;

/// <summary>Reads and writes refused_events: the shipment versions Trade did not count, and why.</summary>
public sealed class RefusalLog(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// Records the snapshots of one refused message that are still not counted (a version already
    /// applied, or superseded by one, has nothing left to report), or the message itself when none of
    /// it could be read. Returns how many refusals were recorded. Re-recording the same message (it
    /// failed again after a re-drive) updates its rows.
    /// </summary>
    public async Task<int> RecordAsync(Guid messageId, IReadOnlyList<ShipmentSnapshot>? snapshots, Func<ShipmentSnapshot?, string> reasonOf,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = new List<RefusedEvent>();
        if (snapshots is null or { Count: 0 })
        {
            rows.Add(new RefusedEvent { MessageId = messageId, ShipmentId = Guid.Empty, Reason = Clean(reasonOf(null)), RefusedAt = now });
        }
        else
        {
            var applied = await AppliedVersionsAsync(connection, snapshots.Select(s => s.ShipmentId).Distinct().ToArray(), cancellationToken);
            foreach (var s in snapshots.Where(s => s.Version > applied.GetValueOrDefault(s.ShipmentId)))
            {
                rows.Add(new RefusedEvent
                {
                    MessageId = messageId,
                    ShipmentId = s.ShipmentId,
                    Version = s.Version,
                    // Only well-formed figures are kept: the snapshot may be exactly what was wrong.
                    ExporterCountry = CountryCodes.IsAssigned(s.ExporterCountry) ? s.ExporterCountry : null,
                    ImporterCountry = CountryCodes.IsAssigned(s.ImporterCountry) ? s.ImporterCountry : null,
                    OriginCountry = CountryCodes.IsAssigned(s.OriginCountry) ? s.OriginCountry : null,
                    Month = s.Period,
                    Barrels = s.Barrels,
                    Reason = Clean(reasonOf(s)),
                    RefusedAt = now,
                });
            }
        }
        if (rows.Count == 0) return 0;

        await using var batch = new NpgsqlBatch(connection);
        foreach (var row in rows) batch.BatchCommands.Add(Upsert(row));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return rows.Count;
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM refused_events");
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A page of refusals, newest first, after the given (refused_at, message_id, shipment_id) position.</summary>
    public async Task<List<RefusedEvent>> ListAsync(int limit, (DateTimeOffset At, Guid MessageId, Guid ShipmentId)? after, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT message_id, shipment_id, version, exporter_country, importer_country, origin_country, month, barrels, reason, refused_at
            FROM refused_events
            {(after is null ? "" : "WHERE (refused_at, message_id, shipment_id) < ($2, $3, $4)")}
            ORDER BY refused_at DESC, message_id DESC, shipment_id DESC
            LIMIT $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        if (after is { } a)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = a.At });
            command.Parameters.Add(new NpgsqlParameter { Value = a.MessageId });
            command.Parameters.Add(new NpgsqlParameter { Value = a.ShipmentId });
        }
        var page = new List<RefusedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new RefusedEvent
            {
                MessageId = reader.GetGuid(0),
                ShipmentId = reader.GetGuid(1),
                Version = reader.IsDBNull(2) ? null : reader.GetInt64(2),
                ExporterCountry = reader.IsDBNull(3) ? null : reader.GetString(3),
                ImporterCountry = reader.IsDBNull(4) ? null : reader.GetString(4),
                OriginCountry = reader.IsDBNull(5) ? null : reader.GetString(5),
                Month = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateOnly>(6),
                Barrels = reader.IsDBNull(7) ? null : reader.GetDecimal(7),
                Reason = reader.GetString(8),
                RefusedAt = reader.GetFieldValue<DateTimeOffset>(9),
            });
        }
        return page;
    }

    public async Task<int> DismissAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM refused_events WHERE message_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Drops the refusals of the given shipments that the versions now in applied_shipments supersede.
    /// TotalsApplier runs it in its own transaction, so a refusal goes exactly when its version, or a
    /// newer one, is counted.
    /// </summary>
    public static NpgsqlBatchCommand ClearSuperseded(Guid[] shipmentIds)
    {
        var command = new NpgsqlBatchCommand("""
            DELETE FROM refused_events r USING applied_shipments a
            WHERE a.shipment_id = ANY($1) AND r.shipment_id = a.shipment_id AND r.version <= a.version
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = shipmentIds });
        return command;
    }

    private static async Task<Dictionary<Guid, long>> AppliedVersionsAsync(NpgsqlConnection connection, Guid[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT shipment_id, version FROM applied_shipments WHERE shipment_id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        var versions = new Dictionary<Guid, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) versions[reader.GetGuid(0)] = reader.GetInt64(1);
        return versions;
    }

    private static NpgsqlBatchCommand Upsert(RefusedEvent row)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO refused_events (message_id, shipment_id, version, exporter_country, importer_country, origin_country, month, barrels, reason, refused_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (message_id, shipment_id) DO UPDATE SET
                version = excluded.version, reason = excluded.reason, refused_at = excluded.refused_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = row.MessageId });
        command.Parameters.Add(new NpgsqlParameter { Value = row.ShipmentId });
        command.Parameters.Add(new NpgsqlParameter<long?> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint, TypedValue = row.Version });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Char, Value = (object?)row.ExporterCountry ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Char, Value = (object?)row.ImporterCountry ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Char, Value = (object?)row.OriginCountry ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<DateOnly?> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date, TypedValue = row.Month });
        command.Parameters.Add(new NpgsqlParameter<decimal?> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric, TypedValue = row.Barrels });
        command.Parameters.Add(new NpgsqlParameter { Value = row.Reason });
        command.Parameters.Add(new NpgsqlParameter { Value = row.RefusedAt });
        return command;
    }

    /// <summary>A reason may quote the bad input itself; PostgreSQL text takes no NUL, and the column has a length.</summary>
    private static string Clean(string reason)
    {
        var text = string.Create(reason.Length, reason, (span, r) =>
        {
            for (var i = 0; i < r.Length; i++) span[i] = char.IsControl(r[i]) ? '\uFFFD' : r[i];
        });
        return text.Length <= TradeDbContext.ReasonLength ? text : text[..(TradeDbContext.ReasonLength - 1)] + "…";
    }
}
