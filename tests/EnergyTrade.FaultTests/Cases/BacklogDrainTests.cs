using System.Diagnostics;
using EnergyTrade.FaultTests.Infrastructure;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 8: 50,000 shipments created through CreateShipment while Trade is stopped, so their events
/// wait in its durable queue; then Trade starts and drains them. Its resident memory is sampled from
/// /proc throughout and must stay under a fixed bound: prefetch and batch sizes bound what it holds,
/// not the backlog.
/// </summary>
[Trait("Category", "Fault")]
public sealed class BacklogDrainTests(ITestOutputHelper output)
{
    private const int Backlog = 50_000;

    /// <summary>
    /// Trade holds at most PrefetchCount (64) messages of at most 100 events (~1 KB each) plus its working
    /// set; idle it sits around 100–150 MB. 400 MB leaves room for GC slack and JIT, and is far below
    /// what holding the backlog in memory would take.
    /// </summary>
    private const long ResidentBound = 400L * 1024 * 1024;

    [Fact]
    public Task A_backlog_of_50000_events_drains_with_bounded_memory() =>
        FaultCase.RunAsync(output, "08-backlog-50k", TimeSpan.FromMinutes(6), async (cluster, ct) =>
        {
            var log = cluster.Log;
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());
            await cluster.Trade.StopAsync();
            log.Line("Trade stopped (SIGTERM); its durable queue stays bound and collects the events");

            var clock = Stopwatch.StartNew();
            await cluster.Load.RunAsync(Cargoes.Requests("c08", Backlog), concurrency: 32, ct);
            var created = clock.Elapsed;
            cluster.Log.Figure("backlog generation", $"{Backlog} shipments through CreateShipment at concurrency 32 in {created.TotalSeconds:F1}s ({Backlog / created.TotalSeconds:F0}/s)");
            await Eventually.MatchAsync(() => cluster.OutboxUnsentAsync(ct), n => n == 0, TimeSpan.FromSeconds(120), "the outbox to be fully published");
            var queued = await Eventually.MatchAsync(() => cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct), q => q is { Ready: > 0 },
                TimeSpan.FromSeconds(10), "the backlog in Trade's queue");
            cluster.Log.Figure("backlog", $"{Backlog} events in {queued!.Ready} broker messages waiting in Trade's queue ({clock.Elapsed.TotalSeconds:F1}s after the first create)");

            var trade = await cluster.StartTradeAsync();
            var drain = Stopwatch.StartNew();
            long peak = 0, samples = 0;
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested && ProcessSignals.ResidentBytes(trade.Pid) is { } rss)
                {
                    peak = Math.Max(peak, rss);
                    samples++;
                    try { await Task.Delay(100, sampling.Token); } catch (OperationCanceledException) { break; }
                }
            }, ct);
            await Eventually.MatchAsync(() => cluster.AppliedShipmentsAsync(ct), n => n == Backlog, TimeSpan.FromSeconds(240), "Trade to apply the whole backlog");
            var applied = drain.Elapsed;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(60), ct);
            await sampling.CancelAsync();
            await sampler;

            cluster.Log.Figure("drain", $"{Backlog} events applied in {applied.TotalSeconds:F1}s after Trade started: {Backlog / applied.TotalSeconds:F0} events/s (queue empty and totals exact {converged.TotalSeconds:F1}s later)");
            cluster.Log.Figure("Trade peak VmRSS", $"{peak / 1024 / 1024} MB over {samples} samples (bound {ResidentBound / 1024 / 1024} MB)");
            Assert.True(peak > 0, "no VmRSS sample was taken");
            Assert.True(peak < ResidentBound, $"Trade's resident memory peaked at {peak / 1024 / 1024} MB, above the {ResidentBound / 1024 / 1024} MB bound");
            await cluster.AssertInvariantAsync(ct);
        });
}
