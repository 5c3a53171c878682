using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Outbox;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

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
/// Writes new shipments and their Created events for CreateShipment, many concurrent requests per
/// transaction (group commit). A commit costs PostgreSQL the same whether it holds one row or a
/// hundred, so at thousands of creates per second one commit per call would make the database the
/// limit; each caller still gets its answer only after its own rows have committed.
/// <para>
/// One statement per batch: the shipments are inserted with ON CONFLICT (request_id) DO NOTHING,
/// and only those actually inserted get their outbox row, in the same statement and so in the same
/// transaction. A request whose request_id was already taken — by an earlier call, a concurrent
/// twin, or a twin in the same batch — is reported back, and the caller answers from the winner.
/// </para>
/// </summary>
public sealed partial class ShipmentInserter(
    NpgsqlDataSource dataSource,
    OutboxSignal outboxSignal,
    IOptions<ShipmentInserterOptions> options,
    ILogger<ShipmentInserter> logger) : IHostedService
{
    private readonly ShipmentInserterOptions _options = options.Value;
    private MicroBatcher<Pending, bool>? _batcher;

    /// <summary>
    /// Commits the shipment and its event; true once both are committed, false when the
    /// shipment's request_id was already held by another shipment (nothing was written).
    /// </summary>
    public Task<bool> InsertAsync(Shipment shipment, OutboxMessage created) =>
        (_batcher ?? throw new ShuttingDownException("Shipments")).EnqueueAsync(new Pending(shipment, created));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _batcher = new MicroBatcher<Pending, bool>(WriteAsync, _options.MaxBatchSize, _options.Writers, () => new ShuttingDownException("Shipments"));
        _batcher.Start();
        return Task.CompletedTask;
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
        catch (Exception ex) when (batch.Count > 1 && !ErrorMappingInterceptor.IsTransient(ex))
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
        var shipments = batch.Select(p => p.Shipment).ToList();
        var events = batch.Select(p => p.Created).ToList();
        // Opened first: a failure to connect means nothing was sent, so nothing changed.
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("""
            WITH inserted AS (
                INSERT INTO shipments (id, version, state, shipper, exporter_country, importer_country, origin_country, grade,
                    quantity_value, quantity_unit, barrels_per_tonne, barrels_per_tonne_given, barrels, tonnes, value_usd,
                    load_date, delivery_date, load_port, discharge_port, create_time, update_time, request_id, request_fingerprint)
                SELECT * FROM unnest(@ids, @versions, @states, @shippers, @exporters, @importers, @origins, @grades,
                    @quantities, @units, @factors, @factorsGiven, @barrels, @tonnes, @values,
                    @loadDates, @deliveryDates, @loadPorts, @dischargePorts, @createTimes, @updateTimes, @requestIds, @fingerprints)
                    AS r(id, version, state, shipper, exporter_country, importer_country, origin_country, grade,
                        quantity_value, quantity_unit, barrels_per_tonne, barrels_per_tonne_given, barrels, tonnes, value_usd,
                        load_date, delivery_date, load_port, discharge_port, create_time, update_time, request_id, request_fingerprint)
                -- Two batches in flight may both hold the same request_ids (concurrent retries): each waits
                -- for the other's uncommitted row, so both must meet them in one order or they deadlock.
                ORDER BY r.request_id
                ON CONFLICT (request_id) DO NOTHING
                RETURNING id
            )
            INSERT INTO outbox_messages (message_id, message_type, payload, shipment_id, trace_parent, created_at, attempts)
            SELECT e.message_id, e.message_type, e.payload::jsonb, e.shipment_id, e.trace_parent, e.created_at, 0
            FROM unnest(@messageIds, @messageTypes, @payloads, @shipmentIds, @traceParents, @createdAts)
                AS e(message_id, message_type, payload, shipment_id, trace_parent, created_at)
            JOIN inserted ON inserted.id = e.shipment_id
            RETURNING shipment_id
            """, connection);
        var p = command.Parameters;
        p.AddWithValue("ids", shipments.Select(s => s.Id).ToArray());
        p.AddWithValue("versions", shipments.Select(s => s.Version).ToArray());
        p.AddWithValue("states", shipments.Select(s => s.State.ToString()).ToArray());
        p.AddWithValue("shippers", shipments.Select(s => s.Shipper).ToArray());
        p.AddWithValue("exporters", shipments.Select(s => s.ExporterCountry).ToArray());
        p.AddWithValue("importers", shipments.Select(s => s.ImporterCountry).ToArray());
        p.AddWithValue("origins", shipments.Select(s => s.OriginCountry).ToArray());
        p.AddWithValue("grades", shipments.Select(s => s.Grade).ToArray());
        p.AddWithValue("quantities", shipments.Select(s => s.QuantityValue).ToArray());
        p.AddWithValue("units", shipments.Select(s => s.QuantityUnit.ToString()).ToArray());
        p.AddWithValue("factors", shipments.Select(s => s.BarrelsPerTonne).ToArray());
        p.AddWithValue("factorsGiven", shipments.Select(s => s.BarrelsPerTonneGiven).ToArray());
        p.AddWithValue("barrels", shipments.Select(s => s.Barrels).ToArray());
        p.AddWithValue("tonnes", shipments.Select(s => s.Tonnes).ToArray());
        p.Add(Array("values", NpgsqlDbType.Numeric, shipments.Select(s => s.ValueUsd)));
        p.AddWithValue("loadDates", shipments.Select(s => s.LoadDate).ToArray());
        p.Add(Array("deliveryDates", NpgsqlDbType.Date, shipments.Select(s => s.DeliveryDate)));
        p.Add(Array("loadPorts", NpgsqlDbType.Text, shipments.Select(s => s.LoadPort)));
        p.Add(Array("dischargePorts", NpgsqlDbType.Text, shipments.Select(s => s.DischargePort)));
        p.AddWithValue("createTimes", shipments.Select(s => s.CreateTime).ToArray());
        p.AddWithValue("updateTimes", shipments.Select(s => s.UpdateTime).ToArray());
        p.Add(Array("requestIds", NpgsqlDbType.Text, shipments.Select(s => s.RequestId)));
        p.Add(Array("fingerprints", NpgsqlDbType.Text, shipments.Select(s => s.RequestFingerprint)));
        p.AddWithValue("messageIds", events.Select(e => e.MessageId).ToArray());
        p.AddWithValue("messageTypes", events.Select(e => e.MessageType).ToArray());
        p.AddWithValue("payloads", events.Select(e => e.Payload).ToArray());
        p.Add(Array("shipmentIds", NpgsqlDbType.Uuid, events.Select(e => e.ShipmentId)));
        p.Add(Array("traceParents", NpgsqlDbType.Text, events.Select(e => e.TraceParent)));
        p.AddWithValue("createdAts", events.Select(e => e.CreatedAt).ToArray());

        // One statement in its own implicit transaction: once it is sent, a lost connection leaves its commit unknown.
        return await WriteOutcomeUnknownException.Guard(async () =>
        {
            var inserted = new HashSet<Guid>();
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            while (await reader.ReadAsync(CancellationToken.None)) inserted.Add(reader.GetGuid(0));
            return inserted;
        });
    }

    /// <summary>An array parameter whose elements may be null, which needs its type spelled out.</summary>
    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() };

    private sealed record Pending(Shipment Shipment, OutboxMessage Created);

    [LoggerMessage(LogLevel.Warning, "PostgreSQL refused a batch of {Count} creates; writing them one by one so only the offending request fails")]
    private partial void LogBatchRefused(Exception exception, int count);
}
