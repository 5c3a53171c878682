using EnergyTrade.Contracts;
using EnergyTrade.Persistence;
using EnergyTrade.Trade.Data;
using EnergyTrade.Trade.Refusals;
using Microsoft.EntityFrameworkCore;
using Npgsql;

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
/// remembering message ids, and holds for any order and any number of deliveries. Every version,
/// newest or not, also goes into the history as-of answers are read from (<see cref="VersionHistory"/>).
/// </summary>
public sealed class TotalsApplier(NpgsqlDataSource dataSource, TimeProvider time, IServiceScopeFactory scopes, NameBook names)
{
    private readonly Lazy<Statements> _statements = new(() => Statements.For(scopes));

    public async Task<ApplyResult> ApplyAsync(IReadOnlyCollection<IncomingSnapshot> incoming, CancellationToken cancellationToken)
    {
        // Within one batch only the newest version of each shipment matters.
        var newest = incoming
            .GroupBy(i => i.Snapshot.ShipmentId)
            .Select(g => g.MaxBy(i => i.Snapshot.Version)!)
            .ToDictionary(i => i.Snapshot.ShipmentId);
        var ids = newest.Keys.ToArray();
        var now = time.GetUtcNow();
        var statements = _statements.Value;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // A never-seen shipment is inserted with its version at once; a shipment already held is locked
        // and read. Two consumers receiving versions of one new shipment at the same time serialise on
        // the insert: the second waits for the first's row and, once it commits, finds it to lock, since
        // every statement of the batch takes a fresh snapshot (READ COMMITTED). Insert, lock and read
        // travel in one round trip (with the BEGIN): at low rates a batch is a shipment or two, and round
        // trips, not rows, are what the apply costs.
        var inserted = new HashSet<Guid>();
        var current = new Dictionary<Guid, Applied>();
        await using (var claimAndLock = new NpgsqlBatch(connection, transaction))
        {
            claimAndLock.BatchCommands.Add(statements.InsertNew(newest.Values, now));
            var select = new NpgsqlBatchCommand("""
                SELECT shipment_id, version, contributes, exporter_country, importer_country, origin_country, month, delivery_month,
                       shipper, buyer, grade, load_port, discharge_port, barrels, tonnes, value_usd
                FROM applied_shipments WHERE shipment_id = ANY($1)
                -- Not the rows this transaction has just inserted: they hold the incoming version already.
                AND xmin <> pg_current_xact_id()::xid
                ORDER BY shipment_id FOR UPDATE
                """);
            select.Parameters.Add(new NpgsqlParameter { Value = ids });
            claimAndLock.BatchCommands.Add(select);
            // A refusal recorded while a newer version was being applied elsewhere goes here.
            claimAndLock.BatchCommands.Add(RefusalLog.ClearSuperseded(ids));
            await using var reader = await claimAndLock.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) inserted.Add(reader.GetGuid(0));
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) current[reader.GetGuid(0)] = Applied.Read(reader);
        }

        var plan = new DeltaPlan();
        var accepted = new List<IncomingSnapshot>();
        var updated = new List<IncomingSnapshot>();
        foreach (var (id, item) in newest)
        {
            if (inserted.Contains(id))
            {
                plan.Replace(null, Contribution.Of(item.Snapshot));
                accepted.Add(item);
                continue;
            }
            var applied = current[id];
            if (!applied.IsSupersededBy(item.Snapshot.Version)) continue;
            plan.Replace(applied.Contribution, Contribution.Of(item.Snapshot));
            accepted.Add(item);
            updated.Add(item);
        }
        // A shipment first seen now, in one version, has no other version whose span could end.
        var spansToClose = ids.Where(id => !inserted.Contains(id) || incoming.Count(i => i.Snapshot.ShipmentId == id) > 1).ToArray();

        IReadOnlyList<(NameKind, string, string)> newNames = [];
        // One round trip for the history, the record, the names, the totals and the notification.
        await using (var write = new NpgsqlBatch(connection, transaction))
        {
            // Every version goes into the history, also one too old to change today's totals: an
            // as-of answer for the time it was the newest needs it.
            write.BatchCommands.Add(statements.History.Record(incoming));
            if (spansToClose.Length > 0) write.BatchCommands.Add(VersionHistory.CloseSpans(spansToClose));
            var deltas = plan.Deltas();
            if (updated.Count > 0) write.BatchCommands.Add(statements.RecordApplied(updated, now));
            if (accepted.Count > 0) write.BatchCommands.Add(RefusalLog.ClearSuperseded(accepted.Select(a => a.Snapshot.ShipmentId).ToArray()));
            newNames = names.Unrecorded(accepted.Where(a => a.Snapshot.State == ShipmentState.Active).SelectMany(a => ShipmentNames.Spellings(a.Snapshot)));
            if (newNames.Count > 0) write.BatchCommands.Add(NameBook.Record(newNames));
            NpgsqlBatchCommand? notify = null;
            if (deltas.Count > 0)
            {
                write.BatchCommands.Add(statements.UpsertTotals(deltas, now));
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
        // Only once committed: a name remembered from a rolled-back apply would never be written.
        names.Recorded(newNames);
        return new ApplyResult(accepted.Count, incoming.Count - accepted.Count);
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

    /// <summary>A shipment's row in applied_shipments as the apply found it.</summary>
    private sealed record Applied(long Version, Contribution? Contribution)
    {
        /// <summary>
        /// A newer version replaces this one; so does the same version when this contribution was
        /// counted before Trade kept names (it has none), so a republish moves it to its full row.
        /// </summary>
        public bool IsSupersededBy(long version) => version > Version || (version == Version && Contribution is { Key.Names: null });

        public static Applied Read(NpgsqlDataReader r)
        {
            var contribution = r.GetBoolean(2)
                ? new Contribution(
                    new TotalsKey(r.GetString(3), r.GetString(4), NullableString(r, 5), r.GetFieldValue<DateOnly>(6),
                        r.IsDBNull(7) ? null : r.GetFieldValue<DateOnly>(7),
                        // A shipper is required, so a contribution without one was counted before names were kept.
                        r.IsDBNull(8)
                            ? null
                            : new ShipmentNames(r.GetString(8), NullableString(r, 9), r.GetString(10), NullableString(r, 11), NullableString(r, 12))),
                    r.GetDecimal(13), r.GetDecimal(14), r.IsDBNull(15) ? null : r.GetDecimal(15))
                : null;
            return new Applied(r.GetInt64(1), contribution);
        }

        private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    }

    /// <summary>The writes whose columns come from the EF model, so they cannot drift from the tables.</summary>
    private sealed record Statements(UnnestRows<AppliedShipment> Applied, UnnestRows<TotalsRow> Totals, string InsertSql, string RecordSql,
        string UpsertSql, VersionHistory History)
    {
        public static Statements For(IServiceScopeFactory scopes)
        {
            using var scope = scopes.CreateScope();
            var model = scope.ServiceProvider.GetRequiredService<TradeDbContext>().Model;
            var applied = new UnnestRows<AppliedShipment>(model, "a");
            var totals = new UnnestRows<TotalsRow>(model, "t");
            var id = applied.ColumnOf(nameof(AppliedShipment.ShipmentId));
            var key = string.Join(", ", model.FindEntityType(typeof(TotalsRow))!.GetIndexes()
                .Single(i => i.GetDatabaseName() == TradeDbContext.TotalsKeyIndex).Properties.Select(p => totals.ColumnOf(p.Name)));
            string[] sums =
            [
                nameof(TotalsRow.ShipmentCount), nameof(TotalsRow.Barrels), nameof(TotalsRow.Tonnes), nameof(TotalsRow.ValueUsd),
                nameof(TotalsRow.ValuedShipmentCount), nameof(TotalsRow.ValuedBarrels),
            ];
            var add = string.Join(", ", sums.Select(totals.ColumnOf).Select(c => $"{c} = t.{c} + excluded.{c}"));
            var updatedAt = totals.ColumnOf(nameof(TotalsRow.UpdatedAt));
            return new Statements(applied, totals,
                $"""
                INSERT INTO {applied.Table} ({applied.ColumnList})
                SELECT * FROM {applied.Source("n")} ORDER BY {id}
                ON CONFLICT ({id}) DO NOTHING
                RETURNING {id}
                """,
                $"""
                UPDATE {applied.Table} AS a SET ({applied.ColumnList}) = ({string.Join(", ", applied.ColumnList.Split(", ").Select(c => "u." + c))})
                FROM {applied.Source("u")} WHERE a.{id} = u.{id}
                """,
                $"""
                INSERT INTO {totals.Table} AS t ({totals.ColumnList})
                SELECT * FROM {totals.Source("d")} ORDER BY {key}
                ON CONFLICT ({key}) DO UPDATE SET {add}, {updatedAt} = excluded.{updatedAt}
                """,
                VersionHistory.For(model));
        }

        /// <summary>The shipments not held yet, inserted with their version; returns the ids inserted.</summary>
        public NpgsqlBatchCommand InsertNew(IEnumerable<IncomingSnapshot> newest, DateTimeOffset now)
        {
            var command = new NpgsqlBatchCommand(InsertSql);
            Applied.Bind(command.Parameters, newest.Select(a => Row(a, now)).ToList());
            return command;
        }

        public NpgsqlBatchCommand RecordApplied(List<IncomingSnapshot> accepted, DateTimeOffset now)
        {
            var command = new NpgsqlBatchCommand(RecordSql);
            Applied.Bind(command.Parameters, accepted.Select(a => Row(a, now)).ToList());
            return command;
        }

        public NpgsqlBatchCommand UpsertTotals(IReadOnlyList<TotalsDelta> deltas, DateTimeOffset now)
        {
            var command = new NpgsqlBatchCommand(UpsertSql);
            Totals.Bind(command.Parameters, deltas.Select(d => Row(d, now)).ToList());
            return command;
        }

        private static AppliedShipment Row(IncomingSnapshot a, DateTimeOffset now) =>
            new AppliedShipment { ShipmentId = a.Snapshot.ShipmentId, Version = a.Snapshot.Version, MessageId = a.MessageId, AppliedAt = now }
                .WithContribution(Contribution.Of(a.Snapshot));

        private static TotalsRow Row(TotalsDelta d, DateTimeOffset now) => new()
        {
            ExporterCountry = d.Key.ExporterCountry, ImporterCountry = d.Key.ImporterCountry, OriginCountry = d.Key.OriginCountry,
            Month = d.Key.Month, DeliveryMonth = d.Key.DeliveryMonth,
            Shipper = d.Key.Names?.Shipper, Buyer = d.Key.Names?.Buyer, Grade = d.Key.Names?.Grade,
            LoadPort = d.Key.Names?.LoadPort, DischargePort = d.Key.Names?.DischargePort,
            ShipmentCount = d.ShipmentCount, Barrels = d.Barrels, Tonnes = d.Tonnes, ValueUsd = d.ValueUsd,
            ValuedShipmentCount = d.ValuedShipmentCount, ValuedBarrels = d.ValuedBarrels, UpdatedAt = now,
        };
    }
}
