using System.Diagnostics;
using EnergyTrade.FaultTests.Infrastructure;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 2: Trade dies while applying. First SIGKILL in the middle of draining a backlog, with batches
/// in flight; then, deterministically, exactly between a database commit and the broker
/// acknowledgement of that message (FaultInjection:CrashAfterCommit=3 in tests/EnergyTrade.Trade.TestHost,
/// which makes the process SIGKILL itself right after its third message committed).
/// </summary>
[Trait("Category", "Fault")]
public sealed class TradeCrashTests(ITestOutputHelper output)
{
    [Fact]
    public Task Trade_killed_mid_batch_and_between_commit_and_ack_counts_every_event_once() =>
        FaultCase.RunAsync(output, "02-trade-crash", TimeSpan.FromMinutes(3), async (cluster, ct) =>
        {
            var log = cluster.Log;
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());

            const int steady = 600, burst = 1500;
            log.Line($"load: {steady} shipments, 8 in flight, 60/s, plus a burst of {burst} at 32 in flight while Trade is down");
            var load = cluster.Load.RunAsync(Cargoes.Requests("c02", steady), concurrency: 8, ct, perSecond: 60);

            // 1. SIGKILL mid-batch: let a backlog build, restart Trade, and kill it as soon as it is applying.
            await cluster.Load.WaitForAcknowledgedAsync(100, ct);
            await cluster.Trade.KillAsync();
            await cluster.Load.RunAsync(Cargoes.Requests("c02-burst", burst), concurrency: 32, ct);
            await Eventually.MatchAsync(() => cluster.OutboxUnsentAsync(ct), n => n == 0, TimeSpan.FromSeconds(60), "the burst to be published");
            var baseline = await cluster.AppliedShipmentsAsync(ct);
            var backlog = await cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct);
            var trade = await cluster.StartTradeAsync(waitReady: false);
            long appliedAtKill;
            while ((appliedAtKill = await cluster.AppliedShipmentsAsync(ct)) == baseline && !trade.HasExited) await Task.Delay(5, ct);
            await cluster.Trade.KillAsync(scrapeFirst: false);
            var applied = await cluster.AppliedShipmentsAsync(ct);
            log.Line($"killed Trade mid-batch: {backlog?.Ready} messages were waiting; it had applied {appliedAtKill - baseline} shipments when the kill was ordered, {applied - baseline} once it was dead");
            cluster.Log.Figure("mid-batch kill", $"{applied - baseline} of the backlog's shipments applied when Trade died; what it held went back to the queue ({backlog?.Ready} messages had been waiting)");
            Assert.True(applied < cluster.Ledger.Count, "the kill came too late: Trade had already applied everything");

            // 2. Crash exactly after the 3rd commit of a fresh process, before its ack.
            var crashing = await cluster.StartTradeAsync(new Dictionary<string, string> { ["FaultInjection__CrashAfterCommit"] = "3" }, waitReady: false, testHost: true);
            log.Line($"Trade restarted with FaultInjection:CrashAfterCommit=3 (pid {crashing.Pid})");
            var clock = Stopwatch.StartNew();
            await Eventually.MatchAsync(() => Task.FromResult(crashing.HasExited), exited => exited, TimeSpan.FromSeconds(60), "Trade to crash after its 3rd commit");
            Assert.Equal(137, crashing.ExitCode); // 128 + SIGKILL
            Assert.Contains("FaultInjection:", crashing.RecentLog(200));
            var committed = await cluster.AppliedShipmentsAsync(ct);
            log.Line($"Trade crashed itself {clock.Elapsed.TotalSeconds:F1}s after start, right after commit 3 and before acknowledging it " +
                $"(exit code {crashing.ExitCode}; {committed - applied} more shipments committed)");
            var restarted = await cluster.StartTradeAsync();
            var healed = Stopwatch.StartNew();

            await load;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            cluster.Log.Figure("time to converge", $"{healed.Elapsed.TotalSeconds:F1}s after the last restart, {converged.TotalSeconds:F1}s after the load ended");

            // What the dead processes held went back to the queue, and what had been committed was absorbed.
            var redelivered = (await cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct))?.Redelivered ?? 0;
            cluster.Log.Figure("redelivered messages", $"{redelivered}");
            Assert.True(redelivered > 0, "RabbitMQ must have redelivered the messages Trade held when it died");
            if (cluster.Metrics.Available)
            {
                var after = await cluster.Metrics.ScrapeAsync(restarted, ct);
                cluster.Log.Figure("Trade after the commit-then-crash", $"{after}");
                Assert.True(after?.Ignored > 0, "the restarted Trade must have absorbed the redelivered, already committed events");
            }
            await cluster.AssertInvariantAsync(ct);
        });
}
