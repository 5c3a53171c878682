using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace EnergyTrade.Benchmarks;

public sealed record BackfillResult(
    int Rows,
    int Year,
    double CopySeconds,
    double ImportSeconds,
    bool Exact,
    double SecondsToExact,
    long ShipmentsPeakRss,
    long TradePeakRss,
    long ExportedRows,
    double ExportSeconds,
    double FloorSeconds,
    IReadOnlyList<(string Table, long Rows)> FloorTables,
    string? Problem)
{
    /// <summary>Shipments a second at the storage floor: every row the backfill keeps, written set-based by PostgreSQL alone.</summary>
    public double FloorPerSecond => Rows / FloorSeconds;
    public double CopyPerSecond => Rows / CopySeconds;
    public double ImportPerSecond => Rows / ImportSeconds;
    public double BackfillPerSecond => Rows / SecondsToExact;
    public double ExportPerSecond => ExportedRows / ExportSeconds;
}

/// <summary>
/// Phase 7, bulk in and out, the way a user does it: a CSV of N shipments (history in a far-future year
/// of its own) is imported by the energytrade CLI, timed from its start until Trade's totals equal the
/// file's exactly, with the services' resident memory sampled throughout; then the year is exported
/// to CSV by the CLI. The ceiling is PostgreSQL's own binary COPY of the same rows into a scratch copy of
/// the shipments table with all its indexes, on the same server in the same run.
/// </summary>
public sealed class BackfillBench(BenchOptions options, Clients clients, CpuMonitor cpu, Random random)
{
    private static readonly Flow[] Flows =
    [
        new("AZ", "BY"), new("AZ", "IT"), new("KZ", "DE"), new("RU", "CN"), new("NO", "NL"),
        new("SA", "IN"), new("IQ", "TR"), new("US", "KR"), new("NG", "ES"), new("AO", "CN"),
    ];
    private static readonly string[] Grades = ["Azeri Light", "CPC Blend", "Urals", "Johan Sverdrup", "Arab Light", "Basrah Medium", "WTI", "Bonny Light"];

    private readonly TradeCounts _trade = new(clients);

    public async Task<BackfillResult> RunAsync(CancellationToken cancellationToken)
    {
        var pairs = Workload.QueryPairs(Flows);
        var year = await _trade.PickEmptyYearAsync(pairs, random, cancellationToken);
        var folder = Directory.CreateTempSubdirectory("energytrade-backfill-");
        try
        {
            var file = Path.Combine(folder.FullName, "backfill.csv");
            var (rows, expected) = Generate(file, options.BackfillRows, year);
            Console.WriteLine($"backfill: {rows.Count:N0} shipments over {Flows.Length} flows in {year}, {new FileInfo(file).Length / 1e6:0} MB of CSV");

            var copySeconds = await CopyCeilingAsync(rows, cancellationToken);
            Console.WriteLine(F($"backfill: raw COPY of the same rows into a scratch shipments table: {copySeconds:0.0} s ({rows.Count / copySeconds:N0} rows/s)"));
            var count = rows.Count;
            rows.Clear();
            rows.TrimExcess();

            var (importSeconds, exact, secondsToExact, shipmentsRss, tradeRss, problem) = await BackfillAsync(file, count, pairs, year, expected, cancellationToken);
            var exportFile = Path.Combine(folder.FullName, "export.csv");
            var (exported, exportSeconds) = await ExportAsync(exportFile, year, cancellationToken);
            var (floorSeconds, floorTables) = exact ? await StorageFloorAsync(year, cancellationToken) : (double.NaN, []);
            return new BackfillResult(count, year, copySeconds, importSeconds, exact, secondsToExact, shipmentsRss, tradeRss, exported, exportSeconds,
                floorSeconds, floorTables, problem);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The CSV the import reads, and the same rows for the COPY; barrels only, so each flow's expected sum is exact.</summary>
    private (List<Row> Rows, Dictionary<Flow, (long Count, decimal Barrels)> Expected) Generate(string file, int count, int year)
    {
        var rows = new List<Row>(count);
        var expected = new Dictionary<Flow, (long Count, decimal Barrels)>();
        var run = random.Next(1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        using var writer = new StreamWriter(file);
        writer.WriteLine("request_id,shipper,exporter_country,importer_country,origin_country,grade,quantity,unit,load_date,value_usd,load_port,discharge_port");
        for (var i = 0; i < count; i++)
        {
            var flow = Flows[random.Next(Flows.Length)];
            var barrels = Workload.Scaled(random.NextInt64(50_000_000, 2_000_000_000), 3);
            var value = Workload.Scaled(random.NextInt64(100_000_000, 15_000_000_000), 2);
            var row = new Row($"backfill-{run}-{i:D8}", $"Shipper {random.Next(40)}", flow, Grades[random.Next(Grades.Length)], barrels, value,
                new DateOnly(year, random.Next(1, 13), random.Next(1, 29)));
            rows.Add(row);
            var (n, sum) = expected.GetValueOrDefault(flow);
            expected[flow] = (n + 1, sum + barrels);
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.RequestId},{row.Shipper},{flow.Exporter},{flow.Importer},{flow.Exporter},{row.Grade},{barrels},bbl,{row.LoadDate:yyyy-MM-dd},{value},Backfill Terminal,Backfill Refinery"));
        }
        return (rows, expected);
    }

    private sealed record Row(string RequestId, string Shipper, Flow Flow, string Grade, decimal Barrels, decimal Value, DateOnly LoadDate);

    /// <summary>
    /// Binary COPY into <c>CREATE TABLE … (LIKE shipments INCLUDING ALL)</c> in Shipments' own database: the
    /// same columns, defaults, primary key, unique request_id and query indexes, none of what a create
    /// adds besides (revision, event, checks). Dropped afterwards.
    /// </summary>
    private async Task<double> CopyCeilingAsync(List<Row> rows, CancellationToken cancellationToken)
    {
        var database = new NpgsqlConnectionStringBuilder(options.Postgres) { Database = options.ShipmentsDatabase, Pooling = false };
        var table = $"benchmark_copy_{Guid.NewGuid():N}"[..30];
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var create = new NpgsqlCommand($"CREATE TABLE {table} (LIKE shipments INCLUDING ALL)", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var now = DateTimeOffset.UtcNow;
            var watch = Stopwatch.StartNew();
            await using (var copy = await connection.BeginBinaryImportAsync($"""
                COPY {table} (id, version, state, shipper, exporter_country, importer_country, origin_country, grade, quantity_value, quantity_unit,
                    barrels_per_tonne, barrels_per_tonne_given, barrels, tonnes, value_usd, load_date, load_port, discharge_port,
                    create_time, update_time, request_id, request_fingerprint) FROM STDIN (FORMAT BINARY)
                """, cancellationToken))
            {
                foreach (var row in rows)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(Guid.CreateVersion7(now), NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(1L, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync("active", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(row.Shipper, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(row.Flow.Exporter, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(row.Flow.Importer, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(row.Flow.Exporter, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(row.Grade, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(row.Barrels, NpgsqlDbType.Numeric, cancellationToken);
                    await copy.WriteAsync("barrels", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(7.33m, NpgsqlDbType.Numeric, cancellationToken);
                    await copy.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
                    await copy.WriteAsync(row.Barrels, NpgsqlDbType.Numeric, cancellationToken);
                    await copy.WriteAsync(decimal.Round(row.Barrels / 7.33m, 3), NpgsqlDbType.Numeric, cancellationToken);
                    await copy.WriteAsync(row.Value, NpgsqlDbType.Numeric, cancellationToken);
                    await copy.WriteAsync(row.LoadDate, NpgsqlDbType.Date, cancellationToken);
                    await copy.WriteAsync("Backfill Terminal", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync("Backfill Refinery", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                    await copy.WriteAsync(row.RequestId, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(row.RequestId, NpgsqlDbType.Text, cancellationToken);
                }
                await copy.CompleteAsync(cancellationToken);
            }
            return watch.Elapsed.TotalSeconds;
        }
        finally
        {
            await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The storage floor: the year's rows of every table a backfilled shipment is kept in — Shipments'
    /// shipments, revisions and outbox rows, Trade's applied_shipments, shipment_versions and totals —
    /// copied by PostgreSQL alone, one <c>INSERT … SELECT</c> per table into <c>CREATE TABLE … (LIKE …
    /// INCLUDING ALL)</c> (every index), timed together and dropped afterwards. It is what writing the rows
    /// the pipeline must keep costs the database with no client, network, parsing or per-row statement at
    /// all (the rows are gathered into a temporary table first, untimed).
    /// </summary>
    private async Task<(double Seconds, IReadOnlyList<(string Table, long Rows)> Tables)> StorageFloorAsync(int year, CancellationToken cancellationToken)
    {
        var from = $"'{year:D4}-01-01'";
        var to = $"'{year + 1:D4}-01-01'";
        var yearIds = $"SELECT id FROM shipments WHERE load_date >= {from} AND load_date < {to}";
        (string Database, string Table, string Where)[] parts =
        [
            (options.ShipmentsDatabase, "shipments", $"load_date >= {from} AND load_date < {to}"),
            (options.ShipmentsDatabase, "shipment_revisions", $"shipment_id IN ({yearIds})"),
            (options.ShipmentsDatabase, "outbox_messages", $"shipment_id IN ({yearIds})"),
            (options.TradeDatabase, "applied_shipments", $"month >= {from} AND month < {to}"),
            (options.TradeDatabase, "shipment_versions", $"month >= {from} AND month < {to}"),
            (options.TradeDatabase, "bilateral_totals", $"month >= {from} AND month < {to}"),
        ];
        var seconds = 0.0;
        var tables = new List<(string, long)>();
        foreach (var (database, table, where) in parts)
        {
            var builder = new NpgsqlConnectionStringBuilder(options.Postgres) { Database = database, Pooling = false, CommandTimeout = 0 };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            var copy = $"benchmark_floor_{Guid.NewGuid():N}"[..30];
            // The rows are gathered first, untimed: finding them (outbox rows by shipment, with no index for
            // it) is not what the floor is about.
            await using (var create = new NpgsqlCommand($"""
                CREATE TABLE {copy} (LIKE {table} INCLUDING ALL);
                CREATE TEMP TABLE benchmark_floor_rows AS SELECT * FROM {table} WHERE {where};
                """, connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            try
            {
                var start = Clock.Now;
                await using var insert = new NpgsqlCommand($"INSERT INTO {copy} OVERRIDING SYSTEM VALUE SELECT * FROM benchmark_floor_rows", connection);
                var rows = await insert.ExecuteNonQueryAsync(cancellationToken);
                var took = Clock.Seconds(start, Clock.Now);
                seconds += took;
                tables.Add((table, rows));
                Console.WriteLine(F($"backfill: storage floor, {table}: {rows:N0} rows in {took:0.0} s"));
            }
            finally
            {
                await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {copy}", connection);
                await drop.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        return (seconds, tables);
    }

    /// <summary>The CLI's import from its start until Trade's totals for the year equal the file's, sampling resident memory meanwhile.</summary>
    private async Task<(double ImportSeconds, bool Exact, double SecondsToExact, long ShipmentsRss, long TradeRss, string? Problem)> BackfillAsync(
        string file, int count, (string Country, string Partner)[] pairs, int year, Dictionary<Flow, (long Count, decimal Barrels)> expected,
        CancellationToken cancellationToken)
    {
        var (first, last) = (Workload.Month(year, 1), Workload.Month(year, 12));
        long shipmentsRss = 0, tradeRss = 0;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var ticker = new Ticker(TimeSpan.FromMilliseconds(250));
        var sampler = ticker.RunAsync(() =>
        {
            shipmentsRss = Math.Max(shipmentsRss, cpu.ResidentBytes("shipments") ?? 0);
            tradeRss = Math.Max(tradeRss, cpu.ResidentBytes("trade") ?? 0);
            return Task.CompletedTask;
        }, sampling.Token);

        var start = Clock.Now;
        var import = Cli("shipments", "import", file, "--output", "json");
        var exitCode = await RunAsync(import, "import", cancellationToken);
        var importSeconds = Clock.Seconds(start, Clock.Now);
        Console.WriteLine(F($"backfill: the CLI finished in {importSeconds:0.0} s ({count / importSeconds:N0} rows/s), exit code {exitCode}"));
        string? problem = exitCode == 0 ? null : $"energytrade shipments import exited with {exitCode}";

        var exact = false;
        var deadline = Clock.After(Clock.Now, TimeSpan.FromSeconds(options.DrainTimeoutSeconds));
        var check = default(TradeCounts.Check);
        while (problem is null && Clock.Now < deadline)
        {
            check = await _trade.CompareAsync(pairs, first, last, expected, cancellationToken);
            if (check.Exact || check.Overshoot) break;
            await Task.Delay(100, cancellationToken);
        }
        exact = check.Exact;
        var secondsToExact = Clock.Seconds(start, Clock.Now);
        if (problem is null && !exact) problem = $"Trade's totals did not become exact within {options.DrainTimeoutSeconds:0} s: {check.Description}";
        await sampling.CancelAsync();
        await IngestBench.Quietly(sampler);
        Console.WriteLine(exact
            ? F($"backfill: Trade's totals exact after {secondsToExact:0.0} s ({count / secondsToExact:N0} rows/s); peak resident memory Shipments {shipmentsRss / 1e6:0} MB, Trade {tradeRss / 1e6:0} MB")
            : $"backfill: {problem}");
        return (importSeconds, exact, secondsToExact, shipmentsRss, tradeRss, problem);
    }

    private async Task<(long Rows, double Seconds)> ExportAsync(string file, int year, CancellationToken cancellationToken)
    {
        var start = Clock.Now;
        var y = year.ToString(CultureInfo.InvariantCulture);
        var exitCode = await RunAsync(Cli("shipments", "export", "--from", $"{y}-01-01", "--to", $"{y}-12-31", "--format", "csv", "--file", file), "export",
            cancellationToken);
        var seconds = Clock.Seconds(start, Clock.Now);
        if (exitCode != 0) throw new InvalidOperationException($"energytrade shipments export exited with {exitCode}");
        // Less the header.
        var rows = File.ReadLines(file).LongCount() - 1;
        Console.WriteLine(F($"backfill: exported {rows:N0} rows in {seconds:0.0} s ({rows / seconds:N0} rows/s)"));
        return (rows, seconds);
    }

    private ProcessStartInfo Cli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(options.CliPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ENERGYTRADE_SHIPMENTS_URL"] = options.ShipmentsUrl.ToString();
        start.Environment["ENERGYTRADE_TRADE_URL"] = options.TradeUrl.ToString();
        // The CLI takes its tokens where the benchmark does, renewing them itself during a long import.
        if (options.Token is { Length: > 0 } given)
        {
            start.Environment["ENERGYTRADE_TOKEN"] = given;
        }
        else if (options.Authority is { Length: > 0 } authority && options.ClientSecret is { } secret)
        {
            start.Environment["ENERGYTRADE_AUTHORITY"] = authority;
            start.Environment["ENERGYTRADE_CLIENT_ID"] = options.ClientId;
            start.Environment["ENERGYTRADE_CLIENT_SECRET"] = secret;
        }
        else if (options.SigningKey is { Length: > 0 } key)
        {
            start.Environment["ENERGYTRADE_SIGNING_KEY"] = key;
            start.Environment["ENERGYTRADE_ISSUER"] = options.Issuer;
        }
        return start;
    }

    /// <summary>Runs the CLI, passing its progress lines (standard error) through; its report is only kept when it fails.</summary>
    private static async Task<int> RunAsync(ProcessStartInfo start, string what, CancellationToken cancellationToken)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the CLI for the {what}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line) Console.WriteLine($"  [{what}] {line}");
        }, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await errors;
        if (process.ExitCode != 0) Console.WriteLine($"  [{what}] {await output}");
        return process.ExitCode;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
