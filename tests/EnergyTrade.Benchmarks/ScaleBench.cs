using System.Globalization;
using EnergyTrade.Shipments.V1;
using Google.LongRunning;
using Npgsql;

namespace EnergyTrade.Benchmarks;

public sealed record ScaleResult(
    long StoredBefore,
    long Stored,
    long Loaded,
    double LoadSeconds,
    IReadOnlyList<ThroughputResult> Empty,
    IReadOnlyList<ThroughputResult> Full,
    long ScanRepublished,
    double ScanSeconds,
    double ScanLongestTransactionSeconds,
    string? Problem)
{
    public double EmptyPerSecond => Empty.Sum(r => r.Calls) / Empty.Sum(r => r.Seconds);
    public double FullPerSecond => Full.Sum(r => r.Calls) / Full.Sum(r => r.Seconds);
    public double Share => FullPerSecond / EmptyPerSecond;
    public long Errors => Empty.Sum(r => r.Errors) + Full.Sum(r => r.Errors);
}

/// <summary>
/// Phase 9, creates at scale: Shipments' database is topped up to --scale-rows shipments (10 M), then
/// single creates are timed in alternating rounds against it and against a second Shipments whose
/// database was emptied at the start of the phase — same code, same server, same minutes, so only the
/// rows stored differ. Last, a republish whose filter matches nothing (exporter Tuvalu, which no phase
/// uses, and no load-date bound) walks the whole table by its primary key, to show that a replay over
/// millions of rows holds no long transaction however selective its filter.
/// </summary>
/// <remarks>
/// The rows are stored by SQL, not through the API: copies of the database's newest shipments (and
/// their revisions) with new time-ordered ids older than any real one and fresh random request ids, as
/// years of history would have; the copied revisions' jsonb images still name their template's id.
/// Trade never hears of them; the phase measures Shipments' write path.
/// </remarks>
public sealed class ScaleBench(BenchOptions options, Clients clients, Random random)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    /// <summary>Ids below this are the phase's copies: their first 48 bits count up from 0, where a real (v7) id holds its creation time.</summary>
    private const string CopyIdCeiling = "00010000-0000-0000-0000-000000000000";
    private const int TemplateRows = 20_000;
    private const int LoadStatementRows = 250_000;
    private const int Rounds = 2;
    /// <summary>Tuvalu: assigned, exports no oil, and no phase's workload uses it.</summary>
    private const string NoSuchExporter = "TV";

    public async Task<ScaleResult> RunAsync(ShipmentService.ShipmentServiceClient empty, CancellationToken cancellationToken)
    {
        await EmptyAsync(empty, cancellationToken);
        var (before, loaded, loadSeconds) = await TopUpAsync(cancellationToken);
        var stored = before + loaded;

        var flows = Workload.IngestFlows;
        var year = await new TradeCounts(clients).PickEmptyYearAsync(Workload.QueryPairs(flows), random, cancellationToken);
        var duration = TimeSpan.FromSeconds(options.ScaleSeconds);
        var warmup = TimeSpan.FromSeconds(1);
        var emptyRounds = new List<ThroughputResult>();
        var fullRounds = new List<ThroughputResult>();
        for (var round = 1; round <= Rounds; round++)
        {
            emptyRounds.Add(await CreatesAsync($"creates, empty database, round {round}", empty, year, duration, warmup, cancellationToken));
            fullRounds.Add(await CreatesAsync(F($"creates, {stored / 1e6:0.#} M stored, round {round}"), clients.Shipments, year, duration, warmup, cancellationToken));
        }

        var (republished, scanSeconds, longest, problem) = await ScanAsync(cancellationToken);
        var result = new ScaleResult(before, stored, loaded, loadSeconds, emptyRounds, fullRounds, republished, scanSeconds, longest, problem);
        Console.WriteLine(F($"scale: creates {result.FullPerSecond:N0}/s with {stored:N0} stored, {result.EmptyPerSecond:N0}/s on an empty database ({result.Share:P0})"));
        return result;
    }

    private Task<ThroughputResult> CreatesAsync(string name, ShipmentService.ShipmentServiceClient shipments, int year, TimeSpan duration, TimeSpan warmup,
        CancellationToken cancellationToken)
    {
        var flows = Workload.IngestFlows;
        return ClosedLoop.RunAsync(name, options.Concurrency, duration, warmup, async (_, token) =>
        {
            CreateShipmentRequest request;
            // Random is not thread-safe; the workers share one so that a seed gives one workload.
            lock (random) request = Workload.Shipment(random, flows[random.Next(flows.Length)], year, random.Next(1, 13));
            await shipments.CreateShipmentAsync(request, clients.Call(CallTimeout, token));
        }, cancellationToken);
    }

    /// <summary>
    /// The second Shipments' database back to no rows at all, so its rounds time creates on an empty
    /// database — after making sure it is not Shipments' own, and that the second Shipments writes there.
    /// </summary>
    private async Task EmptyAsync(ShipmentService.ShipmentServiceClient empty, CancellationToken cancellationToken)
    {
        if (string.Equals(options.EmptyShipmentsDatabase, options.ShipmentsDatabase, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"--empty-shipments-database is Shipments' own database ({options.ShipmentsDatabase}); phase 9 empties it");
        }
        await using var connection = new NpgsqlConnection(options.EmptyShipmentsConnectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "TRUNCATE shipments, shipment_revisions, outbox_messages, republish_operations", cancellationToken);
        var probe = Workload.Shipment(random, Workload.IngestFlows[0], 2999, 1);
        await empty.CreateShipmentAsync(probe, clients.Call(CallTimeout, cancellationToken));
        if (await ScalarAsync<long>(connection, "SELECT count(*) FROM shipments", cancellationToken) != 1)
        {
            throw new InvalidOperationException($"the Shipments at --empty-shipments-url does not write to {options.EmptyShipmentsDatabase}");
        }
        Console.WriteLine($"scale: emptied {options.EmptyShipmentsDatabase}");
    }

    /// <summary>
    /// Copies the newest shipments (and their revisions) until the table holds --scale-rows, a statement of
    /// <see cref="LoadStatementRows"/> at a time so that progress shows and a failure loses one statement's work;
    /// then VACUUM and CHECKPOINT, as a database that has held its rows for a while would have had.
    /// </summary>
    private async Task<(long Before, long Loaded, double Seconds)> TopUpAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(options.ShipmentsConnectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var before = await ScalarAsync<long>(connection, "SELECT count(*) FROM shipments", cancellationToken);
        var missing = options.ScaleRows - before;
        if (missing <= 0)
        {
            Console.WriteLine(F($"scale: {before:N0} shipments stored already"));
            return (before, 0, 0);
        }

        var copies = await ScalarAsync<long>(connection, $"SELECT count(*) FROM shipments WHERE id < '{CopyIdCeiling}'", cancellationToken);
        await ExecuteAsync(connection, $"""
            CREATE TEMP TABLE scale_template AS
            SELECT row_number() OVER () - 1 AS t, s.* FROM (SELECT * FROM shipments WHERE id >= '{CopyIdCeiling}' ORDER BY id DESC LIMIT {TemplateRows}) AS s
            """, cancellationToken);
        var templates = await ScalarAsync<long>(connection, "SELECT count(*) FROM scale_template", cancellationToken);
        if (templates == 0) throw new InvalidOperationException("phase 9 found no shipment to copy in Shipments' database");
        var sql = await LoadSqlAsync(connection, templates, cancellationToken);

        Console.WriteLine(F($"scale: {before:N0} shipments stored; copying {templates:N0} of the newest to store {options.ScaleRows:N0}"));
        var start = Clock.Now;
        var loaded = 0L;
        while (loaded < missing)
        {
            var rows = Math.Min(LoadStatementRows, missing - loaded);
            await using var load = new NpgsqlCommand(sql, connection);
            load.Parameters.Add(new NpgsqlParameter<long> { TypedValue = copies + loaded });
            load.Parameters.Add(new NpgsqlParameter<long> { TypedValue = copies + loaded + rows - 1 });
            await load.ExecuteNonQueryAsync(cancellationToken);
            loaded += rows;
            var seconds = Clock.Seconds(start, Clock.Now);
            Console.WriteLine(F($"  [scale {seconds,5:0}s] stored {before + loaded,12:N0}/{options.ScaleRows:N0}  ({loaded / seconds:N0} rows/s)"));
        }
        Console.WriteLine("scale: VACUUM ANALYZE and CHECKPOINT …");
        await ExecuteAsync(connection, "VACUUM (ANALYZE) shipments, shipment_revisions", cancellationToken);
        await ExecuteAsync(connection, "CHECKPOINT", cancellationToken);
        var loadSeconds = Clock.Seconds(start, Clock.Now);
        Console.WriteLine(F($"scale: stored {loaded:N0} copies in {loadSeconds:0} s"));
        return (before, loaded, loadSeconds);
    }

    /// <summary>
    /// One statement storing copies number $1..$2: shipments with a new id (the copy's number in the
    /// time-ordered part, the template's random part after it) and a new random request_id, each with its
    /// template's revisions. The columns come from the database, so the phase follows the schema.
    /// </summary>
    private static async Task<string> LoadSqlAsync(NpgsqlConnection connection, long templates, CancellationToken cancellationToken)
    {
        var shipmentColumns = await ColumnsAsync(connection, "shipments", cancellationToken);
        var revisionColumns = await ColumnsAsync(connection, "shipment_revisions", cancellationToken);
        var shipmentValues = shipmentColumns.Select(c => c switch
        {
            "id" => "c.copy_id",
            "request_id" => "gen_random_uuid()::text",
            _ => $"c.{c}",
        });
        var revisionValues = revisionColumns.Select(c => c == "shipment_id" ? "c.copy_id" : $"r.{c}");
        return $"""
            WITH c AS MATERIALIZED (
                SELECT (lpad(to_hex(k), 12, '0') || substr(replace(t.id::text, '-', ''), 13))::uuid AS copy_id, t.*
                FROM generate_series($1::bigint, $2::bigint) AS k JOIN scale_template AS t ON t.t = k % {templates}),
            s AS (INSERT INTO shipments ({string.Join(", ", shipmentColumns)}) SELECT {string.Join(", ", shipmentValues)} FROM c ORDER BY c.copy_id)
            INSERT INTO shipment_revisions ({string.Join(", ", revisionColumns)})
            SELECT {string.Join(", ", revisionValues)} FROM c JOIN shipment_revisions AS r ON r.shipment_id = c.id
            """;
    }

    /// <summary>
    /// StartShipmentRepublish of exporter Tuvalu: nothing matches, and without a load-date bound the
    /// operation walks every page of the primary key to find that out.
    /// </summary>
    private async Task<(long Republished, double Seconds, double Longest, string? Problem)> ScanAsync(CancellationToken cancellationToken)
    {
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var longest = 0.0;
        var sampler = LongestTransaction.SampleAsync(options.ShipmentsConnectionString, "scale", s => longest = Math.Max(longest, s), sampling.Token);
        var started = await clients.Shipments.StartShipmentRepublishAsync(new RepublishShipmentsRequest { ExporterCountry = NoSuchExporter },
            clients.Call(CallTimeout, cancellationToken));
        var start = Clock.Now;
        Console.WriteLine($"scale: {started.Name} republishes exporter {NoSuchExporter}'s shipments, walking the whole table by id");
        var deadline = Clock.After(start, TimeSpan.FromSeconds(options.DrainTimeoutSeconds * 4));
        Operation operation = started;
        while (!operation.Done && Clock.Now < deadline)
        {
            await Task.Delay(500, cancellationToken);
            operation = await clients.ShipmentsOperations.GetOperationAsync(new GetOperationRequest { Name = started.Name }, clients.Call(CallTimeout, cancellationToken));
        }
        var seconds = Clock.Seconds(start, Clock.Now);
        await sampling.CancelAsync();
        await IngestBench.Quietly(sampler);
        if (!operation.Done)
        {
            // Not left walking the table behind the benchmark's back.
            await clients.ShipmentsOperations.CancelOperationAsync(new CancelOperationRequest { Name = started.Name }, clients.Call(CallTimeout, cancellationToken));
        }
        var republished = operation.Metadata.Unpack<RepublishShipmentsMetadata>().RepublishedCount;
        string? problem = !operation.Done ? "the republish did not finish within the time allowed"
            : operation.Error is { } error ? $"the republish failed: {error.Message}"
            : republished != 0 ? $"the republish of exporter {NoSuchExporter} found {republished} shipments; the phase expects none" : null;
        Console.WriteLine(F($"scale: walked the table in {seconds:0.0} s; longest transaction {longest:0.00} s"));
        return (republished, seconds, longest, problem);
    }

    private static async Task<string[]> ColumnsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) columns.Add(reader.GetString(0));
        return [.. columns];
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
