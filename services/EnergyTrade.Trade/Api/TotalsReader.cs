using EnergyTrade.Persistence;
using Npgsql;

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

    private static readonly string CommercialSql = TotalsSql.Pair(byOrigin: false, perMonth: false);
    private static readonly string ByOriginSql = TotalsSql.Pair(byOrigin: true, perMonth: false);

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
                sums.Add(TotalsSql.ReadSums(reader, 2, q.DirectionOf(reader.GetString(0)), reader.GetString(1)));
            }
            pending.Complete(new PairTotals(q, sums));
            await reader.NextResultAsync();
        }
    }

    private static NpgsqlBatchCommand Command(PairQuery q)
    {
        var command = new NpgsqlBatchCommand(q.ByOrigin ? ByOriginSql : CommercialSql);
        TotalsSql.Bind(command.Parameters, q.Range, q.Country, q.Partner);
        return command;
    }
}
