using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Trade.V1;
using Npgsql;
using NpgsqlTypes;

namespace EnergyTrade.Benchmarks;

/// <summary>What phase 5 wrote: <see cref="Replaced"/> shipments of the previous run went first.</summary>
public sealed record DimensionLoad(int Year, int Shipments, int Pairs, long TotalsRows, long Replaced, int NewNames, double Seconds)
{
    /// <summary>Rows written to shipment_versions.</summary>
    public long Versions { get; init; }

    public double ShipmentsPerSecond => Shipments / Seconds;
}

/// <summary>Phase 5's figures; <see cref="Problem"/> says how an answer differed from the data, null when every one was exact.</summary>
public sealed record DimensionResult(DimensionLoad Load, int CheckedPairs, string? Problem)
{
    public bool Exact => Problem is null;
    public ThroughputResult? ByGrade { get; init; }
    public ThroughputResult? ByShipper { get; init; }
    /// <summary>The empty call on the replica itself, at the phase's concurrency.</summary>
    public ThroughputResult? ReplicaEmptyCall { get; init; }
    /// <summary>Phase 6, over the same data.</summary>
    public AsOfResult? AsOf { get; init; }

    /// <summary>The groupings measured, by name.</summary>
    public IEnumerable<(string By, ThroughputResult Calls)> Measured =>
        new[] { ("grade", ByGrade), ("shipper", ByShipper) }.Where(m => m.Item2 is not null).Select(m => (m.Item1, m.Item2!));
}

/// <summary>
/// Phase 5: GetBilateralTotals grouped by grade and by shipper over one year holding many shipments,
/// read from PostgreSQL on every call (a read-only Trade replica without the answer cache).
/// <para>
/// The shipments are not sent through the pipeline (a million creates would take minutes) but written
/// straight into Trade's tables by set-based SQL, as its applier would have left them: one
/// applied_shipments row per shipment (contributing, names known), bilateral_totals as the exact
/// sums of exactly those rows at the full grain, and the names' spellings in trade_names. The
/// dimensions are correlated like real trade — an exporter's three shippers sell two grades each,
/// each grade loads at one terminal, an importer's three refiners discharge at one port each, and a
/// cargo is delivered in its loading month or the next — so a pair's year is 432 totals rows
/// however many shipments it holds.
/// </para>
/// </summary>
public sealed class DimensionBench(BenchOptions options, Clients clients)
{
    /// <summary>The year phase 5 owns: far from the ingest's (2500–4999) and freshness's (5000 on) random years.</summary>
    public const int Year = 2040;

    /// <summary>Exporters and importers none of the other phases use (as exporter, importer or origin).</summary>
    private static readonly string[] Exporters = ["AE", "KW", "QA", "OM", "MX", "VE", "CO", "EC", "GA", "CG"];
    private static readonly string[] Importers = ["JP", "KR", "TH", "SG", "PH"];
    private const int ShippersPerExporter = 3;
    private const int GradesPerShipper = 2;
    private const int GradesPerExporter = ShippersPerExporter * GradesPerShipper;
    private const int BuyersPerImporter = 3;

    /// <summary>Every exporter → importer direction; flow p is exporter p / 5 → importer p % 5, as the load's SQL numbers them.</summary>
    public static readonly Flow[] Flows = (from e in Exporters from i in Importers select new Flow(e, i)).ToArray();

    /// <summary>The pairs whose answers are checked against the data before measuring: the first, the last and three between.</summary>
    public static readonly Flow[] Checked = Enumerable.Range(0, 5).Select(k => Flows[k * (Flows.Length - 1) / 4]).ToArray();
    public static int CheckedPairs => Checked.Length;

    // The names, one entry per exporter (or importer) and index, in the order the load's SQL indexes them.
    private static readonly string[] Shippers = Per(Exporters, ShippersPerExporter, (x, k) => $"Benchmark {x} Shipper {k + 1}");
    /// <summary>Grade j of an exporter is sold by its shipper j / 2.</summary>
    private static readonly string[] Grades = Per(Exporters, GradesPerExporter, (x, j) => $"Benchmark {x} Blend {(char)('A' + j)}");
    /// <summary>Grade j loads at terminal j % 3 + 1 of its exporter.</summary>
    private static readonly string[] LoadPorts = Per(Exporters, GradesPerExporter, (x, j) => $"Benchmark {x} Terminal {j % 3 + 1}");
    private static readonly string[] Buyers = Per(Importers, BuyersPerImporter, (m, k) => $"Benchmark {m} Refiner {k + 1}");
    /// <summary>Refiner k of an importer discharges at its port k + 1.</summary>
    private static readonly string[] DischargePorts = Per(Importers, BuyersPerImporter, (m, k) => $"Benchmark {m} Port {k + 1}");

    /// <summary>Every name once, with its trade_names kind (1 company, 2 grade, 3 port) and key.</summary>
    private static readonly (short Kind, string Key, string Spelling)[] Spellings =
        new (short Kind, string[] Names)[] { (1, Shippers), (1, Buyers), (2, Grades), (3, LoadPorts), (3, DischargePorts) }
            .SelectMany(k => k.Names.Distinct().Select(n => (k.Kind, Names.Key(n), n))).ToArray();

    private static string[] Per(string[] countries, int each, Func<string, int, string> name) =>
        countries.SelectMany(c => Enumerable.Range(0, each).Select(k => name(c, k))).ToArray();

    public static readonly DateOnly First = new(Year, 1, 1);
    public static readonly DateOnly Last = new(Year, 12, 1);

    /// <summary>The rows of the phase: its year, its countries.</summary>
    public const string Ours =
        "month BETWEEN @first AND @last AND exporter_country = ANY(@exporters::bpchar[]) AND importer_country = ANY(@importers::bpchar[])";

    /// <summary>
    /// Shipment g belongs to flow g % pairs, so every pair holds the same number. Its draws come from
    /// random() after setseed(--seed), so a seed reproduces the data; OFFSET 0 keeps the subquery with
    /// the draws from being merged into the outer query, so each is drawn once per shipment. Shares:
    /// shippers 50/30/20%, a shipper's grades 65/35%, buyers 45/35/20%, delivered the next month 40%,
    /// valued 85% (60.00–90.00 USD a barrel); barrels 400,000.000–1,000,000.000, tonnes at 7.00–7.40
    /// barrels a tonne by grade.
    /// </summary>
    private static readonly string InsertShipments = $"""
        INSERT INTO applied_shipments (shipment_id, version, contributes, exporter_country, importer_country, origin_country,
            month, delivery_month, shipper, buyer, grade, load_port, discharge_port, barrels, tonnes, value_usd, message_id, applied_at)
        SELECT gen_random_uuid(), {AsOfBench.Versions}, true, (@exporters)[xi + 1], (@importers)[mi + 1], (@exporters)[xi + 1],
               loaded, (loaded + make_interval(months => late))::date,
               (@shippers)[xi * {ShippersPerExporter} + si + 1], (@buyers)[mi * {BuyersPerImporter} + bi + 1],
               (@grades)[xi * {GradesPerExporter} + gi + 1], (@load_ports)[xi * {GradesPerExporter} + gi + 1],
               (@discharge_ports)[mi * {BuyersPerImporter} + bi + 1],
               barrels, round(barrels / (7.00 + 0.08 * gi), 3), CASE WHEN valued THEN round(barrels * cents / 100, 2) END, NULL, now()
        FROM (
            SELECT d.*, si * {GradesPerShipper} + second_grade AS gi
            FROM (
                SELECT g % @pairs / @importer_count AS xi, g % @importer_count AS mi,
                       make_date(@year, 1 + floor(random() * 12)::int, 1) AS loaded,
                       (random() < 0.4)::int AS late,
                       width_bucket(random(), ARRAY[0.5, 0.8]::float8[]) AS si,
                       (random() >= 0.65)::int AS second_grade,
                       width_bucket(random(), ARRAY[0.45, 0.8]::float8[]) AS bi,
                       round((400000000 + floor(random() * 600000001)::bigint) / 1000.0, 3) AS barrels,
                       random() < 0.85 AS valued,
                       6000 + floor(random() * 3001)::int AS cents
                FROM generate_series(0, @shipments - 1) AS g
                OFFSET 0
            ) AS d
        ) AS s
        """;

    /// <summary>The totals exactly as the applier's upserts would have summed the same shipments.</summary>
    private const string InsertTotals = $"""
        INSERT INTO bilateral_totals (exporter_country, importer_country, origin_country, month, delivery_month, shipper, buyer, grade,
            load_port, discharge_port, shipment_count, barrels, tonnes, value_usd, valued_shipment_count, valued_barrels, updated_at)
        SELECT exporter_country, importer_country, origin_country, month, delivery_month, shipper, buyer, grade, load_port, discharge_port,
               count(*), sum(barrels), sum(tonnes), coalesce(sum(value_usd), 0), count(value_usd),
               coalesce(sum(barrels) FILTER (WHERE value_usd IS NOT NULL), 0), now()
        FROM applied_shipments
        WHERE contributes AND {Ours}
        GROUP BY exporter_country, importer_country, origin_country, month, delivery_month, shipper, buyer, grade, load_port, discharge_port
        """;

    /// <summary>
    /// The history the applier would have kept of the same shipments (<see cref="AsOfBench"/>): each
    /// recorded three times, its quantity and value revised upwards (96%, 98%, then the 100% that
    /// applied_shipments and the totals hold), 3, 33 and 63 days after the first of its loading month.
    /// </summary>
    private static readonly string InsertVersions = $"""
        INSERT INTO shipment_versions (shipment_id, version, valid_from, valid_until, contributes, exporter_country, importer_country,
            origin_country, month, delivery_month, shipper, buyer, grade, load_port, discharge_port, barrels, tonnes, value_usd)
        SELECT a.shipment_id, v.n, (a.month + v.days * interval '1 day' + interval '9 hours') AT TIME ZONE 'UTC',
               CASE WHEN v.n < {AsOfBench.Versions} THEN (a.month + (v.days + 30) * interval '1 day' + interval '9 hours') AT TIME ZONE 'UTC' END,
               true, a.exporter_country, a.importer_country, a.origin_country, a.month, a.delivery_month, a.shipper, a.buyer, a.grade,
               a.load_port, a.discharge_port, round(a.barrels * v.share, 3), round(a.tonnes * v.share, 3), round(a.value_usd * v.share, 2)
        FROM applied_shipments a CROSS JOIN (VALUES (1, 3, 0.96), (2, 33, 0.98), (3, 63, 1.00)) AS v(n, days, share)
        WHERE a.contributes AND {Ours}
        """;

    /// <summary>
    /// Deletes the previous run's rows and writes this run's, in one transaction (an interrupted load
    /// leaves the previous data whole), then has PostgreSQL update its statistics as autovacuum would have.
    /// </summary>
    public async Task<DimensionLoad> LoadAsync(CancellationToken cancellationToken)
    {
        var shipments = options.DimensionShipments;
        var database = new NpgsqlConnectionStringBuilder(options.TradeConnectionString).Database;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dimensions: loading {shipments:N0} shipments over {Flows.Length} pairs into {Year} in {database}, set-based (applied_shipments, bilateral_totals, shipment_versions, trade_names)"));
        var builder = new NpgsqlConnectionStringBuilder(options.TradeConnectionString) { Pooling = false, Timeout = 15, CommandTimeout = 1_800 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var start = Clock.Now;
        long replaced, written, rows, versions;
        int names;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            async Task<int> Step(string what, string sql)
            {
                var t0 = Clock.Now;
                await using var command = new NpgsqlCommand(sql, connection, transaction);
                Bind(command.Parameters);
                var n = await command.ExecuteNonQueryAsync(cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [dimensions] {what}: {n:N0} rows in {Clock.Seconds(t0, Clock.Now):0.0} s"));
                return n;
            }
            await using (var seed = new NpgsqlCommand("SELECT setseed(@seed)", connection, transaction))
            {
                seed.Parameters.Add(new NpgsqlParameter<double>("seed", NpgsqlDbType.Double) { TypedValue = options.Seed % 1_000_000 / 1_000_000.0 });
                await seed.ExecuteNonQueryAsync(cancellationToken);
            }
            await Step("previous totals deleted", $"DELETE FROM bilateral_totals WHERE {Ours}");
            await Step("previous versions deleted", $"DELETE FROM shipment_versions WHERE {Ours}");
            replaced = await Step("previous shipments deleted", $"DELETE FROM applied_shipments WHERE {Ours}");
            written = await Step("applied_shipments written", InsertShipments);
            rows = await Step("bilateral_totals written", InsertTotals);
            versions = await Step("shipment_versions written", InsertVersions);
            names = await Step("new trade_names", """
                INSERT INTO trade_names (kind, key, spelling)
                SELECT * FROM unnest(@kinds, @keys, @spellings) AS n(kind, key, spelling) ORDER BY kind, key
                ON CONFLICT (kind, key) DO NOTHING
                """);
            await transaction.CommitAsync(cancellationToken);
        }
        var analyze = Clock.Now;
        await using (var command = new NpgsqlCommand("VACUUM (ANALYZE) bilateral_totals", connection)) await command.ExecuteNonQueryAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("ANALYZE applied_shipments", connection)) await command.ExecuteNonQueryAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("VACUUM (ANALYZE) shipment_versions", connection)) await command.ExecuteNonQueryAsync(cancellationToken);
        var seconds = Clock.Seconds(start, Clock.Now);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [dimensions] vacuum and analyze: {Clock.Seconds(analyze, Clock.Now):0.0} s"));
        if (written != shipments) throw new InvalidOperationException($"dimensions: wrote {written:N0} shipments, not {shipments:N0}");
        if (versions != (long)shipments * AsOfBench.Versions) throw new InvalidOperationException($"dimensions: wrote {versions:N0} versions, not {AsOfBench.Versions} per shipment");
        var load = new DimensionLoad(Year, shipments, Flows.Length, rows, replaced, names, seconds) { Versions = versions };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dimensions: {shipments:N0} shipments ({load.ShipmentsPerSecond:N0}/s) in {rows:N0} totals rows, {seconds:0.0} s; {replaced:N0} of the previous run replaced"));
        return load;

        void Bind(NpgsqlParameterCollection p)
        {
            p.Add(new NpgsqlParameter<DateOnly>("first", NpgsqlDbType.Date) { TypedValue = First });
            p.Add(new NpgsqlParameter<DateOnly>("last", NpgsqlDbType.Date) { TypedValue = Last });
            p.Add(new NpgsqlParameter<int>("year", NpgsqlDbType.Integer) { TypedValue = Year });
            p.Add(new NpgsqlParameter<int>("shipments", NpgsqlDbType.Integer) { TypedValue = shipments });
            p.Add(new NpgsqlParameter<int>("pairs", NpgsqlDbType.Integer) { TypedValue = Flows.Length });
            p.Add(new NpgsqlParameter<int>("importer_count", NpgsqlDbType.Integer) { TypedValue = Importers.Length });
            p.Add(Texts("exporters", Exporters));
            p.Add(Texts("importers", Importers));
            p.Add(Texts("shippers", Keys(Shippers)));
            p.Add(Texts("grades", Keys(Grades)));
            p.Add(Texts("load_ports", Keys(LoadPorts)));
            p.Add(Texts("buyers", Keys(Buyers)));
            p.Add(Texts("discharge_ports", Keys(DischargePorts)));
            p.Add(new NpgsqlParameter<short[]>("kinds", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { TypedValue = Spellings.Select(s => s.Kind).ToArray() });
            p.Add(Texts("keys", Spellings.Select(s => s.Key).ToArray()));
            p.Add(Texts("spellings", Spellings.Select(s => s.Spelling).ToArray()));
        }
    }

    private static string[] Keys(string[] spellings) => spellings.Select(Names.Key).ToArray();

    public static NpgsqlParameter<string[]> Texts(string name, string[] values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values };

    /// <summary>
    /// For a few pairs, by grade and by shipper: the groups' barrels and counts add up to the flow's, and
    /// the flow's equal a direct sum over applied_shipments; as many groups as the pair has grades or
    /// shippers; nothing the other way. Null when all hold; otherwise what differed.
    /// </summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        var trade = clients.UncachedTrade ?? throw new InvalidOperationException("no --uncached-trade-url");
        var expected = new Dictionary<Flow, (long Count, decimal Barrels, long Grades, long Shippers)>();
        await using (var connection = new NpgsqlConnection(options.TradeConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"""
                SELECT exporter_country, importer_country, count(*), sum(barrels), count(DISTINCT grade), count(DISTINCT shipper)
                FROM applied_shipments
                WHERE contributes AND {Ours}
                GROUP BY exporter_country, importer_country
                """, connection);
            command.CommandTimeout = 300;
            command.Parameters.Add(new NpgsqlParameter<DateOnly>("first", NpgsqlDbType.Date) { TypedValue = First });
            command.Parameters.Add(new NpgsqlParameter<DateOnly>("last", NpgsqlDbType.Date) { TypedValue = Last });
            command.Parameters.Add(Texts("exporters", Checked.Select(f => f.Exporter).ToArray()));
            command.Parameters.Add(Texts("importers", Checked.Select(f => f.Importer).ToArray()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                expected[new Flow(reader.GetString(0), reader.GetString(1))] = (reader.GetInt64(2), reader.GetDecimal(3), reader.GetInt64(4), reader.GetInt64(5));
            }
        }
        var differences = new List<string>();
        foreach (var dimension in new[] { Dimension.Grade, Dimension.Shipper })
        {
            foreach (var flow in Checked)
            {
                var totals = await trade.GetBilateralTotalsAsync(Request(flow, dimension), clients.Call(TimeSpan.FromSeconds(30), cancellationToken));
                var (count, barrels, grades, shippers) = expected.GetValueOrDefault(flow);
                var exports = totals.Exports ?? new FlowTotals();
                var groups = exports.Groups;
                var flowBarrels = Workload.Parse(exports.Barrels);
                var groupBarrels = groups.Sum(g => Workload.Parse(g.Totals?.Barrels));
                var groupCount = groups.Sum(g => g.Totals?.ShipmentCount ?? 0);
                var groupsExpected = dimension == Dimension.Grade ? grades : shippers;
                var imports = totals.Imports?.ShipmentCount ?? 0;
                if (count > 0 && exports.ShipmentCount == count && groupCount == count && flowBarrels == barrels && groupBarrels == barrels
                    && groups.Count == groupsExpected && imports == 0) continue;
                differences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{flow} by {Name(dimension)}: flow {exports.ShipmentCount:N0} shipments {flowBarrels} bbl, {groups.Count} groups {groupCount:N0} shipments {groupBarrels} bbl, applied_shipments {count:N0} shipments {barrels} bbl in {groupsExpected} {Name(dimension)}s{(imports != 0 ? $", {imports:N0} the other way" : "")}"));
            }
        }
        var problem = differences.Count == 0 ? null : string.Join("; ", differences);
        Console.WriteLine(problem is null
            ? $"dimensions: exact: {Checked.Length} pairs by grade and by shipper, groups = flow = SQL sum over applied_shipments"
            : $"dimensions: NOT EXACT: {problem}");
        return problem;
    }

    /// <summary>Every pair's year grouped by <paramref name="dimension"/>, closed loop at --dimension-concurrency on the uncached replica.</summary>
    public Task<ThroughputResult> MeasureAsync(Dimension dimension, CancellationToken cancellationToken)
    {
        var trade = clients.UncachedTrade ?? throw new InvalidOperationException("no --uncached-trade-url");
        var requests = Flows.Select(f => Request(f, dimension)).ToArray();
        return ClosedLoop.RunAsync($"by {Name(dimension)}", options.DimensionConcurrency, TimeSpan.FromSeconds(options.QuerySeconds), TimeSpan.FromSeconds(1),
            async (n, token) => await trade.GetBilateralTotalsAsync(requests[n % requests.Length], clients.Call(TimeSpan.FromSeconds(10), token)),
            cancellationToken);
    }

    private static GetBilateralTotalsRequest Request(Flow flow, Dimension dimension)
    {
        var request = Workload.Totals(flow.Exporter, flow.Importer, Workload.Month(Year, 1), Workload.Month(Year, 12));
        request.GroupBy.Add(dimension);
        return request;
    }

    public static string Name(Dimension dimension) => dimension.ToString().ToLowerInvariant();
}
