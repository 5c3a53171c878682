using EnergyTrade.Persistence;
using EnergyTrade.ServiceDefaults;
using Npgsql;
using NpgsqlTypes;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Reads a pair's totals — every GetBilateralTotals miss and every watch wake-up — and sends the
/// reads that are waiting at the same moment to PostgreSQL as one batch: one round trip and one
/// implicit transaction for all of them. A committed change wakes every watch of the months it
/// touched at once, and thousands of small statements a second would otherwise cost PostgreSQL far
/// more in per-statement overhead than in the reading itself (docs/benchmarks.md).
/// </summary>
public sealed class TotalsReader(NpgsqlDataSource dataSource) : IHostedService
{
    /// <summary>Most reads sent in one batch.</summary>
    private const int MaxBatch = 64;
    /// <summary>Batches in flight at once; while one is answered, the next gathers.</summary>
    private const int Readers = 2;

    private readonly MicroBatcher<PairQuery, PairTotals> _batcher = new(batch => ReadBatchAsync(dataSource, batch), MaxBatch, Readers,
        () => new OperationCanceledException("Trade is shutting down."));

    // The seller column is the only difference between the bases; it is never user input.
    private static readonly string CommercialSql = Sql("exporter_country");
    private static readonly string ByOriginSql = Sql("origin_country");

    public Task<PairTotals> ReadAsync(PairQuery q, CancellationToken cancellationToken) => _batcher.EnqueueAsync(q).WaitAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _batcher.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _batcher.StopAsync(cancellationToken);

    private static async Task ReadBatchAsync(NpgsqlDataSource dataSource, IReadOnlyList<MicroBatcher<PairQuery, PairTotals>.Item> batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlBatch(connection);
        foreach (var pending in batch) command.BatchCommands.Add(Command(pending.Request));
        await using var reader = await command.ExecuteReaderAsync();
        foreach (var pending in batch)
        {
            var q = pending.Request;
            var sums = new List<FlowSums>();
            while (await reader.ReadAsync())
            {
                sums.Add(new FlowSums(TotalsQuery.Direction(q, reader.GetString(0)), reader.GetString(1), reader.GetInt64(2), reader.GetDecimal(3),
                    reader.GetDecimal(4), reader.GetDecimal(5), reader.GetInt64(6), reader.GetFieldValue<DateTimeOffset>(7)));
            }
            pending.Complete(new PairTotals(q, sums));
            await reader.NextResultAsync();
        }
    }

    private static NpgsqlBatchCommand Command(PairQuery q)
    {
        var command = new NpgsqlBatchCommand(q.ByOrigin ? ByOriginSql : CommercialSql);
        // character(2), like the columns: a text parameter would make PostgreSQL compare as text and skip the indexes.
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Char, Value = q.Country });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Char, Value = q.Partner });
        command.Parameters.Add(new NpgsqlParameter<DateOnly?> { NpgsqlDbType = NpgsqlDbType.Date, TypedValue = q.Range.First });
        command.Parameters.Add(new NpgsqlParameter<DateOnly?> { NpgsqlDbType = NpgsqlDbType.Date, TypedValue = q.Range.Last });
        return command;
    }

    private static string Sql(string seller) => $"""
        SELECT importer_country, origin_country, sum(shipment_count)::bigint, sum(barrels), sum(tonnes), sum(value_usd),
               sum(valued_shipment_count)::bigint, max(updated_at)
        FROM bilateral_totals
        WHERE (({seller} = $1 AND importer_country = $2) OR ({seller} = $2 AND importer_country = $1))
          AND ($3::date IS NULL OR month >= $3) AND ($4::date IS NULL OR month <= $4)
        GROUP BY importer_country, origin_country
        """;
}
