using System.Globalization;
using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using NpgsqlTypes;

namespace EnergyTrade.Benchmarks;

/// <summary>Phase 6's figures; <see cref="Problem"/> says how an answer differed from the data, null when every one was exact.</summary>
public sealed record AsOfResult(long Versions, double BytesPerVersion, double HeapBytesPerVersion, int CheckedPairs, string? Problem)
{
    /// <summary>Shipments' shipment_revisions: rows, and bytes a row with its index and in the table; null when not measured.</summary>
    public (long Rows, double Bytes, double HeapBytes)? Revisions { get; init; }
    public bool Exact => Problem is null;
    public ThroughputResult? AsOf { get; init; }
    public ThroughputResult? Current { get; init; }
}

/// <summary>
/// Phase 6: GetBilateralTotals as of an instant over the year phase 5 loaded, whose shipments were
/// each recorded three times (<see cref="Versions"/>), read from PostgreSQL on every call on the
/// uncached replica; next to it the same questions without as_of (today's figures, from
/// bilateral_totals), and what a stored version costs in bytes.
/// </summary>
public sealed class AsOfBench(BenchOptions options, Clients clients)
{
    /// <summary>Versions phase 5 writes per shipment.</summary>
    public const int Versions = 3;

    /// <summary>
    /// The instant asked about: 1 September of the year, when the shipments loaded up to May are at their
    /// third version, June's at their second, July's at their first, and later months' not yet recorded.
    /// </summary>
    public static readonly DateTimeOffset Instant = new(DimensionBench.Year, 9, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// For the checked pairs: as of <see cref="Instant"/>, the count and barrels equal a direct SQL sum
    /// over each shipment's newest version recorded by then (written independently of the service's
    /// spans: DISTINCT ON by version); as of a year later they equal today's answer. Also measures the
    /// bytes per stored version. Null problem when all hold.
    /// </summary>
    public async Task<AsOfResult> CheckAsync(CancellationToken cancellationToken)
    {
        var trade = clients.UncachedTrade ?? throw new InvalidOperationException("no --uncached-trade-url");
        var expected = new Dictionary<Flow, (long Count, decimal Barrels)>();
        long versions;
        double bytes, heapBytes;
        await using (var connection = new NpgsqlConnection(options.TradeConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using (var command = new NpgsqlCommand($"""
                SELECT exporter_country, importer_country, count(*), sum(barrels)
                FROM (SELECT DISTINCT ON (shipment_id) * FROM shipment_versions
                      WHERE {DimensionBench.Ours} AND valid_from <= @instant ORDER BY shipment_id, version DESC) AS newest
                WHERE contributes
                GROUP BY exporter_country, importer_country
                """, connection))
            {
                command.CommandTimeout = 300;
                command.Parameters.Add(new NpgsqlParameter<DateOnly>("first", NpgsqlDbType.Date) { TypedValue = DimensionBench.First });
                command.Parameters.Add(new NpgsqlParameter<DateOnly>("last", NpgsqlDbType.Date) { TypedValue = DimensionBench.Last });
                command.Parameters.Add(DimensionBench.Texts("exporters", DimensionBench.Checked.Select(f => f.Exporter).ToArray()));
                command.Parameters.Add(DimensionBench.Texts("importers", DimensionBench.Checked.Select(f => f.Importer).ToArray()));
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("instant", NpgsqlDbType.TimestampTz) { TypedValue = Instant });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    expected[new Flow(reader.GetString(0), reader.GetString(1))] = (reader.GetInt64(2), reader.GetDecimal(3));
                }
            }
            await using (var size = new NpgsqlCommand("""
                SELECT count(*), pg_total_relation_size('shipment_versions')::float8 / greatest(count(*), 1),
                       pg_table_size('shipment_versions')::float8 / greatest(count(*), 1)
                FROM shipment_versions
                """, connection))
            {
                size.CommandTimeout = 300;
                await using var reader = await size.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                (versions, bytes, heapBytes) = (reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2));
            }
        }

        var differences = new List<string>();
        foreach (var flow in DimensionBench.Checked)
        {
            var then = (await trade.GetBilateralTotalsAsync(Request(flow, Instant), clients.Call(TimeSpan.FromSeconds(30), cancellationToken))).Exports ?? new FlowTotals();
            var (count, barrels) = expected.GetValueOrDefault(flow);
            if (count == 0 || then.ShipmentCount != count || Workload.Parse(then.Barrels) != barrels)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{flow} as of {Instant:yyyy-MM-dd}: {then.ShipmentCount:N0} shipments {Workload.Parse(then.Barrels)} bbl, newest versions by SQL {count:N0} shipments {barrels} bbl"));
            }
            var later = (await trade.GetBilateralTotalsAsync(Request(flow, Instant.AddYears(1)), clients.Call(TimeSpan.FromSeconds(30), cancellationToken))).Exports ?? new FlowTotals();
            var today = (await trade.GetBilateralTotalsAsync(Request(flow, null), clients.Call(TimeSpan.FromSeconds(30), cancellationToken))).Exports ?? new FlowTotals();
            if (later.ShipmentCount != today.ShipmentCount || Workload.Parse(later.Barrels) != Workload.Parse(today.Barrels))
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{flow} a year later: {later.ShipmentCount:N0} shipments {Workload.Parse(later.Barrels)} bbl, today {today.ShipmentCount:N0} shipments {Workload.Parse(today.Barrels)} bbl"));
            }
        }
        var revisions = await RevisionBytesAsync(cancellationToken);
        var problem = differences.Count == 0 ? null : string.Join("; ", differences);
        Console.WriteLine(problem is null
            ? string.Create(CultureInfo.InvariantCulture, $"as of: exact: {DimensionBench.Checked.Length} pairs = SQL sums over the newest versions; {versions:N0} versions stored, {bytes:N0} bytes each with indexes ({heapBytes:N0} in the table)")
            : $"as of: NOT EXACT: {problem}");
        return new AsOfResult(versions, bytes, heapBytes, DimensionBench.Checked.Length, problem) { Revisions = revisions };
    }

    /// <summary>What Shipments' revisions of the shipments this run and earlier ones created take; null when the database is not reachable.</summary>
    private async Task<(long, double, double)?> RevisionBytesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(options.ShipmentsConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var size = new NpgsqlCommand("""
                SELECT count(*), pg_total_relation_size('shipment_revisions')::float8 / greatest(count(*), 1),
                       pg_table_size('shipment_revisions')::float8 / greatest(count(*), 1)
                FROM shipment_revisions
                """, connection);
            size.CommandTimeout = 300;
            await using var reader = await size.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var result = (reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"as of: Shipments holds {result.Item1:N0} revisions, {result.Item2:N0} bytes each with the index ({result.Item3:N0} in the table)"));
            return result;
        }
        catch (Exception e) when (e is NpgsqlException or PostgresException)
        {
            Console.WriteLine($"as of: Shipments' revisions not measured: {e.Message}");
            return null;
        }
    }

    /// <summary>Every pair's year as of <see cref="Instant"/> (or today, <paramref name="asOf"/> false), closed loop at --dimension-concurrency on the uncached replica.</summary>
    public Task<ThroughputResult> MeasureAsync(bool asOf, CancellationToken cancellationToken)
    {
        var trade = clients.UncachedTrade ?? throw new InvalidOperationException("no --uncached-trade-url");
        var requests = DimensionBench.Flows.Select(f => Request(f, asOf ? Instant : null)).ToArray();
        return ClosedLoop.RunAsync(asOf ? "as of" : "today", options.DimensionConcurrency, TimeSpan.FromSeconds(options.QuerySeconds), TimeSpan.FromSeconds(1),
            async (n, token) => await trade.GetBilateralTotalsAsync(requests[n % requests.Length], clients.Call(TimeSpan.FromSeconds(10), token)),
            cancellationToken);
    }

    private static GetBilateralTotalsRequest Request(Flow flow, DateTimeOffset? asOf)
    {
        var request = Workload.Totals(flow.Exporter, flow.Importer, Workload.Month(DimensionBench.Year, 1), Workload.Month(DimensionBench.Year, 12));
        if (asOf is { } instant) request.AsOf = Timestamp.FromDateTimeOffset(instant);
        return request;
    }
}
