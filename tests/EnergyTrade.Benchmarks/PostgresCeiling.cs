using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace EnergyTrade.Benchmarks;

public sealed record PostgresRun(int Connections, long Commits, double Seconds, LatencySummary Latency)
{
    public double PerSecond => Commits / Seconds;
}

public sealed record PostgresResult(IReadOnlyList<PostgresRun> Runs, string? Problem);

/// <summary>
/// Raw Npgsql: single-row INSERTs, each its own transaction (autocommit, so one commit = one WAL flush
/// with fsync on), into a scratch table in a scratch database that is dropped afterwards.
/// </summary>
public static class PostgresCeiling
{
    public static async Task<PostgresResult> RunAsync(string adminConnectionString, TimeSpan duration, int[] connectionCounts, CancellationToken cancellationToken)
    {
        var database = $"energytrade_benchmark_scratch_{Guid.NewGuid():N}"[..50];
        var admin = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false, Timeout = 15 };
        Console.WriteLine($"postgres ceiling: single-row INSERT commits into {database}, {duration.TotalSeconds:0} s each on {string.Join(" and ", connectionCounts)} connection(s)");
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var runs = new List<PostgresRun>();
        string? problem = null;
        try
        {
            var scratch = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database, Pooling = false };
            await using (var connection = new NpgsqlConnection(scratch.ConnectionString))
            {
                await connection.OpenAsync(cancellationToken);
                // Shaped like an outbox row: a key, a few typed columns and ~1 KB of JSON text.
                await using var table = new NpgsqlCommand("""
                    CREATE TABLE scratch_rows (
                        id bigserial PRIMARY KEY,
                        message_id uuid NOT NULL,
                        pair text NOT NULL,
                        barrels numeric(20, 3) NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        payload text NOT NULL)
                    """, connection);
                await table.ExecuteNonQueryAsync(cancellationToken);
            }
            foreach (var n in connectionCounts)
            {
                runs.Add(await RunOnceAsync(scratch.ConnectionString, n, duration, cancellationToken));
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            problem = e.Message;
            Console.WriteLine($"postgres ceiling: {problem}");
        }
        finally
        {
            try
            {
                await using var connection = new NpgsqlConnection(admin.ConnectionString);
                await connection.OpenAsync(CancellationToken.None);
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (Exception e)
            {
                Console.WriteLine($"postgres ceiling: could not drop {database}: {e.Message}");
            }
        }
        return new PostgresResult(runs, problem);
    }

    private static async Task<PostgresRun> RunOnceAsync(string connectionString, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var recorder = new LatencyRecorder();
        long commits = 0, last = 0;
        var payload = new string('x', 1_000);
        var opened = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                var c = new NpgsqlConnection(connectionString);
                opened.Add(c);
                await c.OpenAsync(cancellationToken);
            }
            var start = Clock.Now;
            var end = Clock.After(start, duration);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(duration + TimeSpan.FromSeconds(30));
            using var ticker = new Ticker(TimeSpan.FromSeconds(1));
            using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var progress = ticker.RunAsync(() =>
            {
                var c = Interlocked.Read(ref commits);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [postgres x{connections} {Clock.Seconds(start, Clock.Now),4:0.0}s] commits {c,8:N0}  rate {c - last,6:N0}/s"));
                last = c;
            }, progressStop.Token);
            var workers = opened.Select((connection, w) => Task.Run(async () =>
            {
                var lane = recorder.NewLane(65_536);
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO scratch_rows (message_id, pair, barrels, payload) VALUES ($1, $2, $3, $4)", connection);
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid });
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = $"W{w}" });
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Numeric });
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = payload });
                await insert.PrepareAsync(stop.Token);
                var n = 0L;
                while (Clock.Now < end && !stop.IsCancellationRequested)
                {
                    insert.Parameters[0].Value = Guid.NewGuid();
                    insert.Parameters[2].Value = Workload.Scaled(633_250_000 + n++, 3);
                    var t0 = Clock.Now;
                    await insert.ExecuteNonQueryAsync(stop.Token);
                    lane.Add(Clock.Ms(t0, Clock.Now));
                    Interlocked.Increment(ref commits);
                }
            }, CancellationToken.None)).ToArray();
            await Task.WhenAll(workers);
            var seconds = Clock.Seconds(start, Clock.Now);
            await progressStop.CancelAsync();
            await progress;
            var run = new PostgresRun(connections, commits, seconds, recorder.Summarize());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"postgres ceiling: {run.PerSecond:N0} commits/s on {connections} connection(s), p50 {run.Latency.P50:0.00} ms, p99 {run.Latency.P99:0.00} ms"));
            return run;
        }
        finally
        {
            foreach (var c in opened) await c.DisposeAsync();
        }
    }
}
