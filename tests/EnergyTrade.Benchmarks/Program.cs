using System.Globalization;
using EnergyTrade.Benchmarks;
using Grpc.Core;
using Grpc.Health.V1;
using Dimension = EnergyTrade.Trade.V1.Dimension;
using Npgsql;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"EnergyTrade.Benchmarks: {e.Message}\n");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

// Enough threads from the start: the thread pool's slow ramp-up would otherwise show up as latency.
ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
ThreadPool.SetMinThreads(Math.Max(minWorkers, Math.Min(options.Concurrency, 256)), Math.Max(minIo, Math.Min(options.Concurrency, 256)));

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Console.WriteLine("cancelling …");
    cancel.Cancel();
};
var ct = cancel.Token;
var startedAt = DateTimeOffset.UtcNow;
var wall = Clock.Now;
var notes = new List<string>();
var random = new Random(options.Seed);

var env = await EnvironmentInfo.CollectAsync(options, ct);
Console.WriteLine($"EnergyTrade benchmark \"{options.Label}\" — {startedAt:yyyy-MM-dd HH:mm:ss} UTC, seed {options.Seed}");
Console.WriteLine($"  machine    {env.Cores} cores, {env.Memory}, {env.Os}; load average {env.LoadAverage}");
Console.WriteLine($"  .NET       {env.DotNet}");
Console.WriteLine($"  PostgreSQL {env.PostgreSql}");
Console.WriteLine($"  RabbitMQ   {env.RabbitMq}");
Console.WriteLine($"  commit     {env.Commit}");
Console.WriteLine($"  Shipments  {options.ShipmentsUrl}   Trade {options.TradeUrl}{(options.UncachedTradeUrl is { } u ? $"   uncached Trade replica {u}" : "")}");

using var clients = new Clients(options);
Console.WriteLine(clients.TokenSource is null
    ? "  auth       no token (set --token, --authority with ENERGYTRADE_CLIENT_SECRET, or --signing-key if the services require one)"
    : $"  auth       bearer token ({clients.TokenSource})");
try
{
    var health = await clients.TradeHealth.CheckAsync(new HealthCheckRequest(), clients.Call(TimeSpan.FromSeconds(10), ct));
    Console.WriteLine($"  Trade health: {health.Status}");
}
catch (RpcException e)
{
    Console.Error.WriteLine($"EnergyTrade.Benchmarks: Trade at {options.TradeUrl} does not answer grpc.health.v1.Health/Check: {e.StatusCode} {e.Status.Detail}");
    return 1;
}

var cpu = new CpuMonitor([
    ("shipments", options.ShipmentsUrl.Port), ("trade", options.TradeUrl.Port),
    .. options.UncachedTradeUrl is { } replica ? [("replica", replica.Port)] : Array.Empty<(string, int)>(),
    .. options.EmptyShipmentsUrl is { } second ? [("shipments-empty", second.Port)] : Array.Empty<(string, int)>(),
    ("postgres", new NpgsqlConnectionStringBuilder(options.Postgres).Port), ("rabbitmq", options.Amqp.IsDefaultPort ? 5672 : options.Amqp.Port),
]);
Console.WriteLine(cpu.Available ? $"  CPU watch  {cpu.Describe()}" : "  CPU watch  unavailable (not Linux)");
if (cpu.Missing.Count > 0) notes.Add($"CPU not attributed for {string.Join(", ", cpu.Missing)}: no local process listens there.");
var usages = new List<CpuUsage>();

async Task<T> Phase<T>(string name, Func<Task<T>> run)
{
    Console.WriteLine();
    var before = cpu.Take();
    var result = await run();
    usages.Add(cpu.Between(name, before, cpu.Take()));
    return result;
}

IngestResult? ingest = null;
FreshnessResult? freshness = null;
ThroughputResult? queries = null, emptyCall = null, readyCheck = null;
BrokerResult? broker = null;
PostgresResult? postgres = null;
DimensionResult? dimensions = null;
BackfillResult? backfill = null;
ReplayResult? replay = null;
ScaleResult? scale = null;
var exitCode = 0;
try
{
    // 1. Ingest.
    ingest = await Phase("1 ingest", () => new IngestBench(options, clients, random).RunAsync(ct));
    if (!ingest.Exact) exitCode = 1;

    // 2. Freshness at half the measured maximum (end to end) rate.
    var rate = options.FreshnessRate > 0 ? options.FreshnessRate : Math.Max(1, 0.5 * ingest.SustainedRate);
    if (options.FreshnessRate <= 0 && !ingest.Exact)
    {
        notes.Add(F($"Ingest never became exact, so freshness ran at half of what Trade visibly applied ({ingest.SustainedRate:N0}/s)."));
    }
    freshness = await Phase("2 freshness", () => new FreshnessBench(options, clients, random).RunAsync(rate, ct));
    if (freshness.Method != "watch") notes.Add($"Freshness measured by POLLING, not through WatchBilateralTotals: {freshness.Note}.");

    // 3. Queries over the ingest's own data, then 4c, the empty call, on the same server right after.
    var pairs = Workload.QueryPairs(Workload.IngestFlows);
    var first = Workload.Month(ingest.Year, 1);
    var last = Workload.Month(ingest.Year, 12);
    var duration = TimeSpan.FromSeconds(options.QuerySeconds);
    var warmup = TimeSpan.FromSeconds(1);
    queries = await Phase("3 queries", () => ClosedLoop.RunAsync("queries", options.Concurrency, duration, warmup, async (n, token) =>
    {
        var (country, partner) = pairs[n % pairs.Length];
        await clients.Trade.GetBilateralTotalsAsync(Workload.Totals(country, partner, first, last), clients.Call(TimeSpan.FromSeconds(10), token));
    }, ct));
    emptyCall = await Phase("4c empty call", () => ClosedLoop.RunAsync("empty call", options.Concurrency, duration, warmup,
        (_, token) => clients.EmptyCallAsync(clients.TradeHealth, token), ct));
    var ready = new HealthCheckRequest();
    readyCheck = await Phase("4c ready check", () => ClosedLoop.RunAsync("ready check", options.Concurrency, duration / 2, warmup, async (_, token) =>
        await clients.TradeHealth.CheckAsync(ready, clients.Call(TimeSpan.FromSeconds(10), token)), ct));

    // 4a. Raw broker, same broker and vhost.
    broker = await Phase("4a raw broker", () => BrokerCeiling.RunAsync(options.Amqp, options.EffectiveBrokerCount, ct));

    // 4b. Raw PostgreSQL, same server, scratch database.
    postgres = await Phase("4b raw postgres", () => PostgresCeiling.RunAsync(options.Postgres, TimeSpan.FromSeconds(options.PostgresSeconds), [1, 8], ct));

    // 5. Grouped totals over a year of many shipments, read from PostgreSQL on every call: on a replica without the answer cache.
    if (clients.UncachedTrade is null || clients.UncachedTradeHealth is not { } replicaHealth)
    {
        notes.Add("Phase 5 (dimensions) skipped: no --uncached-trade-url (a Trade replica with Messaging__ConsumeEvents=false and TotalsCache__Enabled=false; scripts/bench.sh starts one when it starts the stack).");
    }
    else
    {
        var dimensionBench = new DimensionBench(options, clients);
        var load = await Phase("5 dimensions load", () => dimensionBench.LoadAsync(ct));
        dimensions = new DimensionResult(load, DimensionBench.CheckedPairs, await dimensionBench.CheckAsync(ct));
        if (!dimensions.Exact) exitCode = 1;
        dimensions = dimensions with { ByGrade = await Phase("5 by grade", () => dimensionBench.MeasureAsync(Dimension.Grade, ct)) };
        dimensions = dimensions with { ByShipper = await Phase("5 by shipper", () => dimensionBench.MeasureAsync(Dimension.Shipper, ct)) };
        dimensions = dimensions with
        {
            ReplicaEmptyCall = await Phase("5 replica empty call", () => ClosedLoop.RunAsync("replica empty call", options.DimensionConcurrency, duration / 2, warmup,
                (_, token) => clients.EmptyCallAsync(replicaHealth, token), ct)),
        };

        // 6. As of an instant over the same year, whose shipments phase 5 recorded three times each; and today's figures beside it.
        var asOfBench = new AsOfBench(options, clients);
        var asOf = await asOfBench.CheckAsync(ct);
        if (!asOf.Exact) exitCode = 1;
        asOf = asOf with { AsOf = await Phase("6 as of", () => asOfBench.MeasureAsync(asOf: true, ct)) };
        asOf = asOf with { Current = await Phase("6 today", () => asOfBench.MeasureAsync(asOf: false, ct)) };
        dimensions = dimensions with { AsOf = asOf };
    }

    // 7. Bulk in and out through the CLI, next to PostgreSQL's COPY of the same rows.
    if (options.BackfillRows > 0)
    {
        backfill = await Phase("7 backfill", () => new BackfillBench(options, clients, cpu, random).RunAsync(ct));
        if (!backfill.Exact) exitCode = 1;

        // 8. A replay of that year while live creates go on.
        if (backfill.Exact)
        {
            replay = await Phase("8 replay", () => new ReplayBench(options, clients, random).RunAsync(backfill.Year, ct));
            if (replay.Problem is not null) exitCode = 1;
        }
    }

    // 9. Creates with millions stored, next to creates on an empty database; a republish that walks them all.
    if (options.ScaleRows > 0 && clients.EmptyShipments is { } emptyShipments)
    {
        scale = await Phase("9 scale", () => new ScaleBench(options, clients, random).RunAsync(emptyShipments, ct));
        if (scale.Problem is not null) exitCode = 1;
    }
    else if (options.ScaleRows > 0)
    {
        notes.Add("Phase 9 (scale) skipped: no --empty-shipments-url (a second Shipments on a database of its own; scripts/bench.sh starts one when it starts the stack).");
    }
}
catch (OperationCanceledException) when (ct.IsCancellationRequested)
{
    notes.Add("The run was cancelled; the figures are partial.");
    exitCode = 130;
}
catch (Exception e) when (e is RpcException or InvalidOperationException or NpgsqlException or IOException or HttpRequestException
                           or RabbitMQ.Client.Exceptions.RabbitMQClientException)
{
    Console.Error.WriteLine($"EnergyTrade.Benchmarks: {e.GetType().Name}: {e.Message}");
    notes.Add($"The run stopped early: {e.GetType().Name}: {e.Message}");
    exitCode = 1;
}

// Figures taken while something else used the same cores are contended: say so next to them.
var contended = usages.Where(u => u.Groups.FirstOrDefault(g => g.Group == "other").Percent >= 25).ToList();
if (contended.Count > 0)
{
    notes.Add(F($"CONTENDED: processes outside this stack used {string.Join(", ", contended.Select(u => F($"{u.Groups.First(g => g.Group == "other").Percent:0}% ({u.Phase})")))} of one core while the phases ran (the machine has {Environment.ProcessorCount * 100}%); compare such figures only with their own ceilings, or rerun on a quiet machine."));
}

var results = new BenchResults(options, env, startedAt, Clock.Seconds(wall, Clock.Now), ingest, freshness, queries, emptyCall, readyCheck,
    broker, postgres, dimensions, backfill, replay, scale, usages, notes);
var table = Report.Table(results);
var cpuTable = cpu.Available ? Report.CpuTable(usages) : "";
Console.WriteLine();
Console.WriteLine(table);
if (cpuTable.Length > 0) Console.WriteLine(cpuTable);
foreach (var n in notes) Console.WriteLine($"note: {n}");

if (options.Output is not null && exitCode != 130)
{
    var path = Path.IsPathRooted(options.Output) ? options.Output : Path.Combine(env.RepositoryRoot ?? Environment.CurrentDirectory, options.Output);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    if (!File.Exists(path)) await File.WriteAllTextAsync(path, "# Benchmarks\n\n", CancellationToken.None);
    var existing = await File.ReadAllTextAsync(path, CancellationToken.None);
    var separator = existing.EndsWith("\n\n", StringComparison.Ordinal) ? "" : existing.EndsWith('\n') ? "\n" : "\n\n";
    await File.AppendAllTextAsync(path, separator + Report.Section(results, table, cpuTable), CancellationToken.None);
    Console.WriteLine($"appended this run to {path}");
}
Console.WriteLine(F($"done in {Clock.Seconds(wall, Clock.Now):0} s"));
return exitCode;

static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
