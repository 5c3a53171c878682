using System.Diagnostics;
using EnergyTrade.FaultTests.Infrastructure;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 10: SIGTERM — as in a rolling deployment — to Shipments and then to Trade while the load runs.
/// Each must drain and exit cleanly (code 0, within its stop timeout), handing back what it had not
/// finished, and nothing may be lost.
/// </summary>
[Trait("Category", "Fault")]
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public Task SIGTERM_to_each_service_under_load_drains_gracefully_and_loses_nothing() =>
        FaultCase.RunAsync(output, "10-sigterm", TimeSpan.FromMinutes(3), async (cluster, ct) =>
        {
            var log = cluster.Log;
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());

            const int count = 900;
            log.Line($"load: {count} shipments, 8 in flight, 50/s, and a burst of 1500 at 32 in flight around Trade's SIGTERM");
            var load = cluster.Load.RunAsync(Cargoes.Requests("c10", count), concurrency: 8, ct, perSecond: 50);

            await cluster.Load.WaitForAcknowledgedAsync(150, ct);
            var shipmentsExit = await cluster.Shipments.StopAsync();
            Assert.Equal(0, shipmentsExit);
            var clock = Stopwatch.StartNew();
            await cluster.StartShipmentsAsync();
            log.Line($"Shipments back after {clock.Elapsed.TotalSeconds:F1}s; the client retried meanwhile");

            // Trade gets SIGTERM in the middle of a burst, while it is applying.
            await cluster.Load.WaitForAcknowledgedAsync(450, ct);
            var burst = cluster.Load.RunAsync(Cargoes.Requests("c10-burst", 1500), concurrency: 32, ct);
            await cluster.Load.WaitForAcknowledgedAsync(1000, ct);
            var tradeExit = await cluster.Trade.StopAsync();
            Assert.Equal(0, tradeExit);
            // A graceful stop acknowledges what it finished and hands the rest back: nothing stays unacknowledged.
            var after = await Eventually.MatchAsync(() => cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct), q => q is { Unacknowledged: 0, Consumers: 0 },
                TimeSpan.FromSeconds(10), "Trade's unacknowledged messages to return to the queue");
            log.Line($"after Trade's exit {after!.Ready} messages wait for its successor, none unacknowledged");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            await cluster.StartTradeAsync();
            var healed = Stopwatch.StartNew();

            await Task.WhenAll(load, burst);
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            cluster.Log.Figure("exit codes after SIGTERM", $"Shipments {shipmentsExit}, Trade {tradeExit}");
            cluster.Log.Figure("time to converge", $"{healed.Elapsed.TotalSeconds:F1}s after Trade restarted, {converged.TotalSeconds:F1}s after the load ended");
            await cluster.AssertInvariantAsync(ct);
        });
}
