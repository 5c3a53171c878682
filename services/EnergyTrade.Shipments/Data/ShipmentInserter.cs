using EnergyTrade.Persistence;
using EnergyTrade.Outbox;
using EnergyTrade.Shipments.Revisions;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnergyTrade.Shipments.Data;

/// <summary>Configuration section "Shipments:Inserts".</summary>
public sealed class ShipmentInserterOptions
{
    public const string Section = "Shipments:Inserts";

    /// <summary>Most creates written by one statement.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Statements in flight at once; while one commits, the next batch gathers.</summary>
    public int Writers { get; set; } = 2;
}

/// <summary>
/// Writes new shipments, their Created revisions and their Created events for CreateShipment, many concurrent requests per
/// transaction (group commit). A commit costs PostgreSQL the same whether it holds one row or a
/// hundred, so at thousands of creates per second one commit per call would make the database the
/// limit; each caller still gets its answer only after its own rows have committed.
/// <para>
/// A request whose request_id was already taken — by an earlier call, a concurrent twin, or a twin
/// in the same batch — is reported back, and the caller answers from the winner.
/// </para>
/// </summary>
public sealed partial class ShipmentInserter(
    NpgsqlDataSource dataSource,
    IServiceScopeFactory scopes,
    OutboxSignal outboxSignal,
    IOptions<ShipmentInserterOptions> options,
    ILogger<ShipmentInserter> logger) : IHostedService
{
    private readonly ShipmentInserterOptions _options = options.Value;
    private MicroBatcher<Pending, bool>? _batcher;
    private InsertStatement? _statement;

    /// <summary>
    /// Commits the shipment, its revision and its event; true once all are committed, false when the
    /// shipment's request_id was already held by another shipment (nothing was written).
    /// </summary>
    public Task<bool> InsertAsync(Shipment shipment, OutboxMessage created, RevisionNote note) =>
        (_batcher ?? throw new ShuttingDownException("Shipments")).EnqueueAsync(new Pending(shipment, created, note));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            _statement = InsertStatement.For(scope.ServiceProvider.GetRequiredService<ShipmentsDbContext>().Model);
        }
        _batcher = new MicroBatcher<Pending, bool>(WriteAsync, _options.MaxBatchSize, _options.Writers, () => new ShuttingDownException("Shipments"));
        _batcher.Start();
    }

    /// <summary>The server has stopped taking calls by now; whatever is queued is still written and answered.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _batcher?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    private async Task WriteAsync(IReadOnlyList<MicroBatcher<Pending, bool>.Item> batch)
    {
        try
        {
            var inserted = await InsertBatchAsync(batch.Select(i => i.Request).ToList());
            foreach (var item in batch) item.Complete(inserted.Contains(item.Request.Shipment.Id));
            if (inserted.Count > 0) outboxSignal.Notify();
        }
        catch (Exception ex) when (batch.Count > 1 && !TransientFailures.IsTransient(ex))
        {
            // Validation should leave nothing for PostgreSQL to refuse, but should one row still be
            // refused, it must fail its own call only: the statement was rolled back as a whole, so
            // write each request on its own.
            LogBatchRefused(ex, batch.Count);
            foreach (var item in batch)
            {
                try
                {
                    await WriteAsync([item]);
                }
                catch (Exception single)
                {
                    item.Fail(single);
                }
            }
        }
    }

    private async Task<HashSet<Guid>> InsertBatchAsync(List<Pending> batch)
    {
        // Built in StartAsync before the batcher that calls this starts.
        var statement = _statement!;
        // Opened first: a failure to connect means nothing was sent, so nothing changed.
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(statement.Sql, connection);
        statement.Shipments.Bind(command.Parameters, batch.Select(p => p.Shipment).ToList());
        statement.Events.Bind(command.Parameters, batch.Select(p => p.Created).ToList());
        InsertStatement.BindNotes(command.Parameters, batch);

        // One statement in its own implicit transaction: once it is sent, a lost connection leaves its commit unknown.
        return await WriteOutcomeUnknownException.Guard(async () =>
        {
            var inserted = new HashSet<Guid>();
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            while (await reader.ReadAsync(CancellationToken.None)) inserted.Add(reader.GetGuid(0));
            return inserted;
        });
    }

    /// <summary>
    /// The group commit's one statement, its columns taken from the EF model. The shipments are inserted
    /// with ON CONFLICT (request_id) DO NOTHING, and only those actually inserted get their revision (the
    /// inserted row's image, with its request's note) and their outbox row, in the same statement and so
    /// in the same transaction; it returns the ids of the inserted shipments.
    /// </summary>
    private sealed record InsertStatement(UnnestRows<Shipment> Shipments, UnnestRows<OutboxMessage> Events, string Sql)
    {
        public static InsertStatement For(IModel model)
        {
            var shipments = new UnnestRows<Shipment>(model, "s");
            var events = new UnnestRows<OutboxMessage>(model, "e");
            var requestId = shipments.ColumnOf(nameof(Shipment.RequestId));
            var shipmentId = shipments.ColumnOf(nameof(Shipment.Id));
            var eventShipment = events.ColumnOf(nameof(OutboxMessage.SubjectId));
            // A request's changed fields travel as one comma-separated text: unnest cannot return arrays
            // of arrays, and field paths hold no commas.
            var revisions = RevisionSql.InsertFrom("i",
                $"FROM inserted i JOIN unnest(@n_id, @n_subject, @n_client, @n_fields) AS n(id, subject, client, fields) ON n.id = i.{shipmentId}",
                $"'{RevisionKind.Created}'", "string_to_array(n.fields, ',')", "n.subject", "n.client", "NULL");
            return new InsertStatement(shipments, events, $"""
                WITH inserted AS (
                    INSERT INTO {shipments.Table} ({shipments.ColumnList})
                    SELECT * FROM {shipments.Source("r")}
                    -- Two batches in flight may both hold the same request_ids (concurrent retries): each waits
                    -- for the other's uncommitted row, so both must meet them in one order or they deadlock.
                    ORDER BY r.{requestId}
                    ON CONFLICT ({requestId}) DO NOTHING
                    -- Every column: the revision is the image of the row as inserted.
                    RETURNING *
                ),
                revisions AS (
                {revisions}
                )
                INSERT INTO {events.Table} ({events.ColumnList})
                SELECT e.* FROM {events.Source("e")}
                JOIN inserted ON inserted.{shipmentId} = e.{eventShipment}
                RETURNING {eventShipment}
                """);
        }

        /// <summary>Each request's revision note, one array parameter per part, matched to its shipment by id.</summary>
        public static void BindNotes(NpgsqlParameterCollection parameters, IReadOnlyList<Pending> batch)
        {
            parameters.Add(new NpgsqlParameter("n_id", batch.Select(p => p.Shipment.Id).ToArray()) { DataTypeName = "uuid[]" });
            parameters.Add(new NpgsqlParameter("n_subject", batch.Select(p => p.Note.Actor.Subject).ToArray()) { DataTypeName = "text[]" });
            parameters.Add(new NpgsqlParameter("n_client", batch.Select(p => p.Note.Actor.Client).ToArray()) { DataTypeName = "text[]" });
            parameters.Add(new NpgsqlParameter("n_fields", batch.Select(p => string.Join(',', p.Note.ChangedFields)).ToArray()) { DataTypeName = "text[]" });
        }
    }

    private sealed record Pending(Shipment Shipment, OutboxMessage Created, RevisionNote Note);

    [LoggerMessage(LogLevel.Warning, "PostgreSQL refused a batch of {Count} creates; writing them one by one so only the offending request fails")]
    private partial void LogBatchRefused(Exception exception, int count);
}
