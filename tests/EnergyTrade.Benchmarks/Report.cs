using System.Globalization;
using System.Text;

namespace EnergyTrade.Benchmarks;

public sealed record BenchResults(
    BenchOptions Options,
    EnvironmentInfo Environment,
    DateTimeOffset StartedAt,
    double WallSeconds,
    IngestResult? Ingest,
    FreshnessResult? Freshness,
    ThroughputResult? Queries,
    ThroughputResult? EmptyCall,
    ThroughputResult? ReadyCheck,
    BrokerResult? Broker,
    PostgresResult? Postgres,
    DimensionResult? Dimensions,
    BackfillResult? Backfill,
    ReplayResult? Replay,
    ScaleResult? Scale,
    IReadOnlyList<CpuUsage> Cpu,
    IReadOnlyList<string> Notes);

/// <summary>The table (markdown, readable as plain text too) and the dated section appended to docs/benchmarks.md.</summary>
public static class Report
{
    public const double IngestTarget = 4_000;
    public const double IngestShareOfBroker = 0.50;
    public const double FreshnessP99TargetMs = 100;
    public const double QueriesShareOfEmptyCall = 0.70;
    public const double GroupedP99TargetMs = 20;
    /// <summary>An as-of answer sums a pair's versions of the range one by one (60,000 for a year of phase 5's data) rather than kept totals.</summary>
    public const double AsOfP99TargetMs = 100;
    public const double BackfillShareOfCopy = 0.40;
    public const double BackfillTarget = 15_000;
    public const double ExportTarget = 100_000;
    public const long ResidentTargetBytes = 300_000_000;
    /// <summary>A republish commits a page at a time; a transaction open longer would hold back vacuum and locks.</summary>
    public const double LongestTransactionTargetSeconds = 1;
    public const double CreatesAtScaleShareOfEmpty = 0.85;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Table(BenchResults r)
    {
        var o = r.Options;
        var rows = new List<string[]>();
        var ingest = r.Ingest;
        var broker = r.Broker is { Problem: null } b ? b : null;

        // 1. Ingest
        if (ingest is not null)
        {
            var e2e = ingest.Exact ? F($"{ingest.EventsPerSecond:N0} events/s ({ingest.SecondsToExact:0.0} s for {ingest.Requested:N0})")
                : $"NOT EXACT: {ingest.Problem}";
            var ratio = ingest.Exact && broker is not null ? ingest.EventsPerSecond / broker.PerSecond : double.NaN;
            rows.Add(["1", $"ingest end to end: {ingest.Requested:N0} shipments at C={o.Concurrency}, first request → Trade's totals exact", e2e,
                broker is null ? "raw broker: n/a" : F($"raw broker {broker.PerSecond:N0} msg/s"), Pct(ratio),
                F($"≥ {IngestTarget:N0} events/s"), Met(ingest.Exact && ingest.EventsPerSecond >= IngestTarget)]);
            rows.Add(["1", "", "", "", "", F($"≥ {IngestShareOfBroker * 100:0}% of raw broker"), Met(!double.IsNaN(ratio) && ratio >= IngestShareOfBroker)]);
            rows.Add(["1", "CreateShipment accepted", F($"{ingest.CreatedPerSecond:N0}/s ({ingest.CreateSeconds:0.0} s){(ingest.Retries > 0 ? $", {ingest.Retries:N0} retries" : "")}"), "", "", "", ""]);
            rows.Add(["1", $"CreateShipment latency at C={o.Concurrency}", Lat(ingest.CreateLatency), "", "", "", ""]);
            if (ingest.Exact) rows.Add(["1", "Trade's lag behind the last reply", F($"{ingest.LagAfterLastCreateSeconds:0.00} s"), "", "", "", ""]);
        }

        // 2. Freshness
        if (r.Freshness is { } f)
        {
            var how = f.Method == "watch" ? "WatchBilateralTotals" : $"POLLING GetTradeSeries per pair every {SeriesPoller.IntervalMs} ms ({f.Note})";
            var share = ingest is { Exact: true } && o.FreshnessRate <= 0 ? "50% of end-to-end max" : "fixed rate";
            var complete = f.Visible == f.Sent && f.Sent == f.Planned;
            rows.Add(["2", F($"freshness: reply → visible, open loop {f.Rate:N0}/s ({share}), via {how}"),
                F($"p50 {f.Visibility.P50:0.0} ms, p99 {f.Visibility.P99:0.0} ms, max {f.Visibility.Max:0.0} ms ({f.Visible:N0}/{f.Planned:N0} visible{(f.TimedOut > 0 ? $", {f.TimedOut} timed out" : "")}{(f.Failed > 0 ? $", {f.Failed} failed" : "")})"),
                "", "", F($"p99 ≤ {FreshnessP99TargetMs:0} ms"), Met(complete && f.Visibility.P99 <= FreshnessP99TargetMs)]);
            rows.Add(["2", F($"CreateShipment latency at {f.Rate:N0}/s"), Lat(f.CreateLatency), "", "", "", ""]);
        }

        // 3. Queries
        if (r.Queries is { } q)
        {
            var empty = r.EmptyCall;
            var ratio = empty is { Calls: > 0 } ? q.PerSecond / empty.PerSecond : double.NaN;
            rows.Add(["3", F($"GetBilateralTotals at C={q.Concurrency} ({ingest?.Flows ?? 0} flows' pairs, 12 months)"), Rate(q),
                empty is null ? "empty call: n/a" : F($"empty call {empty.PerSecond:N0} calls/s"), Pct(ratio),
                F($"≥ {QueriesShareOfEmptyCall * 100:0}% of empty call"), Met(!double.IsNaN(ratio) && ratio >= QueriesShareOfEmptyCall && q.Errors == 0)]);
        }

        // 4. Ceilings
        if (r.Broker is { } br)
        {
            rows.Add(["4a", F($"raw RabbitMQ: publish with confirms (window {br.Window}) + consume with manual ack, persistent {br.BodyBytes:N0} B"),
                br.Problem is null ? F($"{br.PerSecond:N0} msg/s ({br.Messages:N0} in {br.Seconds:0.00} s)") : $"FAILED: {br.Problem}", "", "", "", ""]);
        }
        if (r.Postgres is { } pg)
        {
            foreach (var run in pg.Runs)
            {
                rows.Add(["4b", $"raw PostgreSQL single-row INSERT commits, {run.Connections} connection{(run.Connections == 1 ? "" : "s")}",
                    F($"{run.PerSecond:N0} commits/s, p50 {run.Latency.P50:0.00} ms, p99 {run.Latency.P99:0.00} ms"), "", "", "", ""]);
            }
            if (pg.Problem is not null) rows.Add(["4b", "raw PostgreSQL", $"FAILED: {pg.Problem}", "", "", "", ""]);
        }
        if (r.EmptyCall is { } ec)
        {
            rows.Add(["4c", F($"empty gRPC unary call: Health/Check of an unknown service (NOT_FOUND, runs no check) on Trade at C={ec.Concurrency}"), Rate(ec), "", "", "", ""]);
        }
        if (r.ReadyCheck is { } rc)
        {
            rows.Add(["4c", F($"for reference: Health/Check \"\" (runs Trade's readiness checks) at C={rc.Concurrency}"), Rate(rc), "", "", "", ""]);
        }

        // 5. Dimensions
        if (r.Dimensions is { } d)
        {
            var l = d.Load;
            rows.Add(["5", F($"load: {l.Shipments:N0} shipments, {l.Pairs} pairs, year {l.Year}, set-based SQL into Trade's applied_shipments, bilateral_totals and trade_names"),
                F($"{l.Seconds:0.0} s ({l.ShipmentsPerSecond:N0} shipments/s): {l.TotalsRows:N0} totals rows ({l.Shipments / (double)Math.Max(1, l.TotalsRows):N0} shipments a row, {l.TotalsRows / l.Pairs:N0} a pair)"),
                "", "", "", ""]);
            rows.Add(["5", F($"exactness, {d.CheckedPairs} pairs by grade and by shipper: groups' barrels and counts = the flow's = SQL sums over applied_shipments"),
                d.Exact ? "exact" : $"NOT EXACT: {d.Problem}", "", "", "exact", Met(d.Exact)]);
            var empty = r.EmptyCall;
            foreach (var (by, run) in d.Measured)
            {
                var ratio = empty is { Calls: > 0 } ? run.PerSecond / empty.PerSecond : double.NaN;
                rows.Add(["5", F($"GetBilateralTotals group_by {by}, uncached replica, C={run.Concurrency} ({l.Pairs} pairs, 12 months of {l.Year})"), Rate(run, max: true),
                    empty is null ? "empty call: n/a" : F($"empty call {empty.PerSecond:N0} calls/s (4c)"), Pct(ratio),
                    F($"p99 ≤ {GroupedP99TargetMs:0} ms"), Met(d.Exact && run.Errors == 0 && run.Latency.P99 <= GroupedP99TargetMs)]);
            }
            if (d.ReplicaEmptyCall is { Calls: > 0 } re)
            {
                var shares = string.Join(", ", d.Measured.Select(m => F($"by {m.By} {m.Calls.PerSecond / re.PerSecond * 100:0}%")));
                rows.Add(["5", F($"for reference: the empty call on the uncached replica at C={re.Concurrency}"), Rate(re), "", shares, "", ""]);
            }

            // 6. As of
            if (d.AsOf is { } a)
            {
                rows.Add(["6", F($"history: {a.Versions:N0} shipment versions stored ({AsOfBench.Versions} for each of the {l.Shipments:N0} shipments of {l.Year}, plus the other phases')"),
                    F($"{a.BytesPerVersion:N0} bytes a version with its indexes ({a.HeapBytesPerVersion:N0} without indexes)"), "", "", "", ""]);
                if (a.Revisions is { } rev)
                {
                    rows.Add(["6", F($"Shipments' revisions: {rev.Rows:N0} stored (one per version of every shipment the runs created; the row image as jsonb)"),
                        F($"{rev.Bytes:N0} bytes a revision with its index ({rev.HeapBytes:N0} without it)"), "", "", "", ""]);
                }
                rows.Add(["5/6", F($"exactness, {a.CheckedPairs} pairs as of {AsOfBench.Instant:yyyy-MM-dd} = SQL sums over each shipment's newest version by then; a year later = today"),
                    a.Exact ? "exact" : $"NOT EXACT: {a.Problem}", "", "", "exact", Met(a.Exact)]);
                if (a.Current is { } today)
                {
                    rows.Add(["6", F($"GetBilateralTotals today (bilateral_totals), uncached replica, C={today.Concurrency} ({l.Pairs} pairs, 12 months of {l.Year})"), Rate(today, max: true),
                        r.EmptyCall is { Calls: > 0 } e ? F($"empty call {e.PerSecond:N0} calls/s (4c)") : "", r.EmptyCall is { Calls: > 0 } e2 ? Pct(today.PerSecond / e2.PerSecond) : "", "", ""]);
                }
                if (a.AsOf is { } then)
                {
                    rows.Add(["6", F($"GetBilateralTotals as_of {AsOfBench.Instant:yyyy-MM-dd} (shipment_versions), uncached replica, C={then.Concurrency}, same pairs and months"), Rate(then, max: true),
                        a.Current is { Calls: > 0 } c ? F($"today {c.PerSecond:N0} calls/s (above)") : "", a.Current is { Calls: > 0 } c2 ? Pct(then.PerSecond / c2.PerSecond) : "",
                        F($"p99 ≤ {AsOfP99TargetMs:0} ms"), Met(a.Exact && then.Errors == 0 && then.Latency.P99 <= AsOfP99TargetMs)]);
                }
            }
        }

        // 7. Backfill and export
        if (r.Backfill is { } bf)
        {
            var copy = F($"raw COPY {bf.CopyPerSecond:N0} rows/s");
            rows.Add(["7", F($"raw PostgreSQL binary COPY of the same {bf.Rows:N0} rows into a scratch copy of the shipments table (its 4 indexes)"),
                F($"{bf.CopyPerSecond:N0} rows/s ({bf.CopySeconds:0.0} s)"), "", "", "", ""]);
            var share = bf.Exact ? bf.BackfillPerSecond / bf.CopyPerSecond : double.NaN;
            rows.Add(["7", F($"backfill: {bf.Rows:N0} shipments from a CSV through `energytrade shipments import`, first row → Trade's totals exact"),
                bf.Exact ? F($"{bf.BackfillPerSecond:N0} rows/s ({bf.SecondsToExact:0.0} s)") : $"NOT EXACT: {bf.Problem}", copy, Pct(share),
                F($"≥ {BackfillShareOfCopy * 100:0}% of raw COPY"), Met(bf.Exact && share >= BackfillShareOfCopy)]);
            rows.Add(["7", "", "", "", "", F($"≥ {BackfillTarget:N0} rows/s"), Met(bf.Exact && bf.BackfillPerSecond >= BackfillTarget)]);
            if (bf.FloorTables.Count > 0)
            {
                var kept = string.Join(", ", bf.FloorTables.Select(t => F($"{t.Table} {t.Rows:N0}")));
                rows.Add(["7", F($"storage floor: the year's rows of every table a backfilled shipment is kept in ({kept}), one INSERT … SELECT each into a scratch copy with every index"),
                    F($"{bf.FloorPerSecond:N0} shipments/s ({bf.FloorSeconds:0.0} s)"), "", "", "", ""]);
                rows.Add(["7", "backfill against that floor", F($"{bf.BackfillPerSecond:N0} rows/s"), F($"floor {bf.FloorPerSecond:N0} shipments/s"),
                    Pct(bf.BackfillPerSecond / bf.FloorPerSecond), "", ""]);
            }
            rows.Add(["7", "the import alone: every row answered by Shipments (the CLI's exit)", F($"{bf.ImportPerSecond:N0} rows/s ({bf.ImportSeconds:0.0} s)"),
                copy, Pct(bf.ImportPerSecond / bf.CopyPerSecond), "", ""]);
            rows.Add(["7", "resident memory during the backfill, peak", F($"Shipments {bf.ShipmentsPeakRss / 1e6:0} MB, Trade {bf.TradePeakRss / 1e6:0} MB"), "", "",
                F($"< {ResidentTargetBytes / 1e6:0} MB each"), Met(bf.ShipmentsPeakRss is > 0 and < ResidentTargetBytes && bf.TradePeakRss is > 0 and < ResidentTargetBytes)]);
            rows.Add(["7", F($"export: `energytrade shipments export --format csv --file` of the year ({bf.ExportedRows:N0} rows)"),
                F($"{bf.ExportPerSecond:N0} rows/s ({bf.ExportSeconds:0.0} s)"), copy, Pct(bf.ExportPerSecond / bf.CopyPerSecond),
                F($"≥ {ExportTarget:N0} rows/s"), Met(bf.ExportPerSecond >= ExportTarget)]);
        }

        // 8. Replay
        if (r.Replay is { } rp)
        {
            rows.Add(["8", F($"replay: StartShipmentRepublish of phase 7's year while creates go on at {rp.CreateRate:N0}/s"),
                rp.Problem is null ? F($"{rp.ReplayPerSecond:N0} shipments/s ({rp.Republished:N0} in {rp.ReplaySeconds:0.0} s)") : $"FAILED: {rp.Problem}", "", "", "", ""]);
            rows.Add(["8", F($"CreateShipment latency at {rp.CreateRate:N0}/s, before the replay"), Lat(rp.Baseline), "", "", "", ""]);
            rows.Add(["8", F($"CreateShipment latency at {rp.CreateRate:N0}/s, during the replay"), Lat(rp.During),
                F($"before: p99 {rp.Baseline.P99:0.0} ms"), Pct(rp.During.P99 / rp.Baseline.P99), "", ""]);
            rows.Add(["8", F($"the {rp.LiveCreates:N0} live creates counted by Trade, after the last one"),
                rp.LiveExact ? F($"{rp.LiveLagSeconds:0.00} s") : "NOT EXACT", "", "", "exact", Met(rp.LiveExact)]);
            rows.Add(["8", "longest open transaction in Shipments' database during the replay", F($"{rp.LongestTransactionSeconds:0.00} s"), "", "",
                F($"≤ {LongestTransactionTargetSeconds:0} s"), Met(rp.LongestTransactionSeconds <= LongestTransactionTargetSeconds)]);
        }

        // 9. Scale
        if (r.Scale is { } sc)
        {
            var millions = F($"{sc.Stored / 1e6:0.#} M");
            var rounds = F($"{sc.Full.Count} rounds of {r.Options.ScaleSeconds:0} s each, alternating, C={r.Options.Concurrency}");
            rows.Add(["9", F($"shipments stored in Shipments' database: {sc.StoredBefore:N0}, then {sc.Loaded:N0} copies added by SQL"),
                sc.Loaded > 0 ? F($"{sc.Loaded / sc.LoadSeconds:N0} rows/s ({sc.LoadSeconds:0} s, with VACUUM and CHECKPOINT)") : "already stored", "", "", "", ""]);
            rows.Add(["9", F($"CreateShipment on an empty database (a second Shipments, same server; {rounds})"),
                F($"{sc.EmptyPerSecond:N0} calls/s, p99 {sc.Empty.Max(t => t.Latency.P99):0.0} ms"), "", "", "", ""]);
            var errors = sc.Errors > 0 ? F($", {sc.Errors} errors") : "";
            rows.Add(["9", F($"CreateShipment with {millions} shipments stored ({rounds})"),
                F($"{sc.FullPerSecond:N0} calls/s, p99 {sc.Full.Max(t => t.Latency.P99):0.0} ms{errors}"), F($"empty {sc.EmptyPerSecond:N0} calls/s"), Pct(sc.Share),
                F($"≥ {CreatesAtScaleShareOfEmpty * 100:0}% of empty"), Met(sc.Errors == 0 && sc.Share >= CreatesAtScaleShareOfEmpty)]);
            rows.Add(["9", F($"republish whose filter matches nothing (no load-date bound): the primary-key walk over all {millions}"),
                sc.Problem is null ? F($"{sc.ScanSeconds:0.0} s ({sc.Stored / sc.ScanSeconds:N0} shipments/s)") : $"FAILED: {sc.Problem}", "", "", "", ""]);
            rows.Add(["9", "longest open transaction in Shipments' database during that walk", F($"{sc.ScanLongestTransactionSeconds:0.00} s"), "", "",
                F($"≤ {LongestTransactionTargetSeconds:0} s"), Met(sc.Problem is null && sc.ScanLongestTransactionSeconds <= LongestTransactionTargetSeconds)]);
        }

        var sb = new StringBuilder();
        sb.AppendLine("| # | measure | result | ceiling | ratio | target | met |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in rows) sb.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        return sb.ToString();
    }

    public static string CpuTable(IReadOnlyList<CpuUsage> usages)
    {
        if (usages.Count == 0) return "";
        var groups = usages[0].Groups.Select(g => g.Group).ToList();
        var sb = new StringBuilder();
        sb.AppendLine(F($"CPU per phase, % of one core (this machine has {usages[0].Cores} cores = {usages[0].Cores * 100}%):"));
        sb.AppendLine();
        sb.AppendLine($"| phase | s | {string.Join(" | ", groups)} | machine | busiest other processes |");
        sb.AppendLine($"|---|---|{string.Concat(groups.Select(_ => "---|"))}---|---|");
        foreach (var u in usages)
        {
            var others = string.Join(", ", u.TopOthers.Select(x => F($"{x.Process} {x.Percent:0}%")));
            sb.AppendLine(F($"| {u.Phase} | {u.Seconds:0.0} | {string.Join(" | ", u.Groups.Select(g => g.Percent.ToString("0", Inv) + "%"))} | {u.MachinePercent:0}% | {others} |"));
        }
        return sb.ToString();
    }

    public static string Section(BenchResults r, string table, string cpu)
    {
        var o = r.Options;
        var e = r.Environment;
        var sb = new StringBuilder();
        sb.AppendLine(F($"## {r.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC — {o.Label}"));
        sb.AppendLine();
        sb.AppendLine($"- machine: {e.Cores} cores, {e.Memory}, {e.Os}; load average at start {e.LoadAverage}");
        sb.AppendLine($"- runtimes: {e.DotNet}; PostgreSQL {e.PostgreSql}; RabbitMQ {e.RabbitMq}");
        sb.AppendLine($"- commit {e.Commit}");
        sb.AppendLine(F($"- parameters: --count {o.Count} --concurrency {o.Concurrency} --warmup {o.Warmup} --freshness-method {(o.FreshnessWatch ? "watch" : "poll")} --query-seconds {o.QuerySeconds} --freshness-seconds {o.FreshnessSeconds} --postgres-seconds {o.PostgresSeconds} --broker-count {o.EffectiveBrokerCount} --dimension-shipments {o.DimensionShipments} --dimension-concurrency {o.DimensionConcurrency} --backfill-rows {o.BackfillRows} --replay-create-rate {o.ReplayCreateRate} --scale-rows {o.ScaleRows} --scale-seconds {o.ScaleSeconds}{(o.UncachedTradeUrl is { } u ? $" --uncached-trade-url {u.ToString().TrimEnd('/')}" : "")}{(o.EmptyShipmentsUrl is { } es ? $" --empty-shipments-url {es.ToString().TrimEnd('/')} --empty-shipments-database {o.EmptyShipmentsDatabase}" : "")} --seed {o.Seed}; wall time {r.WallSeconds:0} s"));
        sb.AppendLine();
        sb.Append(table);
        if (cpu.Length > 0)
        {
            sb.AppendLine();
            sb.Append(cpu);
        }
        if (r.Notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var n in r.Notes) sb.AppendLine($"- {n}");
        }
        sb.AppendLine();
        return sb.ToString();
    }

    private static string Rate(ThroughputResult t, bool max = false) =>
        F($"{t.PerSecond:N0} calls/s, p50 {t.Latency.P50:0.00} ms, p99 {t.Latency.P99:0.00} ms{(max ? F($", max {t.Latency.Max:0.00} ms") : "")}{(t.Errors > 0 ? $", {t.Errors:N0} errors ({t.FirstError})" : "")}");

    private static string Lat(LatencySummary l) => F($"p50 {l.P50:0.0} ms, p99 {l.P99:0.0} ms, max {l.Max:0.0} ms");

    private static string Pct(double ratio) => double.IsNaN(ratio) ? "" : F($"{ratio * 100:0}%");

    private static string Met(bool met) => met ? "met" : "**not met**";

    private static string F(FormattableString s) => s.ToString(Inv);
}
