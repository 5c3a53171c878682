using EnergyTrade.Persistence;
using EnergyTrade.Trade.Totals;
using Npgsql;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Reads a pair's totals — every GetBilateralTotals miss and every watch wake-up — and sends the
/// reads that are waiting at the same moment to PostgreSQL as one batch: one round trip and one
/// implicit transaction for all of them. A committed change wakes every watch of the months it
/// touched at once, and thousands of small statements a second would otherwise cost PostgreSQL far
/// more in per-statement overhead than in the reading itself (docs/benchmarks.md).
/// </summary>
public sealed class TotalsReader(NpgsqlDataSource dataSource, NameBook names) : IHostedService
{
    /// <summary>Most reads sent in one batch.</summary>
    private const int MaxBatch = 64;
    /// <summary>Batches in flight at once; while one is answered, the next gathers.</summary>
    private const int Readers = 2;

    private readonly MicroBatcher<PairQuery, PairTotals> _batcher = new(batch => ReadBatchAsync(dataSource, names, batch), MaxBatch, Readers,
        () => new OperationCanceledException("Trade is shutting down."));

    public Task<PairTotals> ReadAsync(PairQuery q, CancellationToken cancellationToken) => _batcher.EnqueueAsync(q).WaitAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _batcher.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _batcher.StopAsync(cancellationToken);

    private static async Task ReadBatchAsync(NpgsqlDataSource dataSource, NameBook names, IReadOnlyList<MicroBatcher<PairQuery, PairTotals>.Item> batch)
    {
        var read = new List<(PairQuery Query, List<FlowSums> Sums, List<FlowSums>? InTransit)>();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var command = new NpgsqlBatch(connection))
        {
            foreach (var pending in batch)
            {
                command.BatchCommands.Add(TotalsSql.Pair(pending.Request, perMonth: false).ToBatchCommand());
                if (pending.Request.ByDelivery) command.BatchCommands.Add(TotalsSql.InTransit(pending.Request).ToBatchCommand());
            }
            await using var reader = await command.ExecuteReaderAsync();
            foreach (var pending in batch)
            {
                var q = pending.Request;
                var sums = await ReadAllAsync(reader, q);
                read.Add((q, sums, q.ByDelivery ? await ReadAllAsync(reader, q) : null));
            }
        }
        // Spelled once the connection is back in the pool: a spelling not yet known takes one more read.
        foreach (var (pending, (q, sums, inTransit)) in batch.Zip(read))
        {
            try
            {
                pending.Complete(new PairTotals(q, await GroupSpellings.ApplyAsync(names, q.Slice.GroupBy, sums, CancellationToken.None),
                    inTransit is null ? null : await GroupSpellings.ApplyAsync(names, q.Slice.GroupBy, inTransit, CancellationToken.None)));
            }
            catch (Exception ex)
            {
                pending.Fail(ex);
            }
        }
    }

    private static async Task<List<FlowSums>> ReadAllAsync(NpgsqlDataReader reader, PairQuery q)
    {
        var sums = new List<FlowSums>();
        while (await reader.ReadAsync()) sums.Add(TotalsSql.ReadSums(reader, q, keysAt: 2));
        await reader.NextResultAsync();
        return sums;
    }
}
