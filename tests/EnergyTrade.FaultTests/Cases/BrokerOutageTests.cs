using System.Diagnostics;
using EnergyTrade.FaultTests.Infrastructure;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 1: RabbitMQ goes away twice while shipments keep coming — first stopped gracefully, then
/// SIGKILLed — and is restarted in place each time. The load runs from before the first fault until
/// after the second recovery, however long the broker takes to stop and start on a busy machine.
/// </summary>
[Trait("Category", "Fault")]
public sealed class BrokerOutageTests(ITestOutputHelper output)
{
    [Fact]
    public Task RabbitMQ_stopped_and_then_killed_mid_load_loses_and_doubles_nothing() =>
        FaultCase.RunAsync(output, "01-rabbitmq-stop-kill", TimeSpan.FromMinutes(3), async (cluster, ct) =>
        {
            var log = cluster.Log;
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());

            log.Line("load: 40 shipments/s, 8 in flight, from before the first fault until after the second recovery");
            using var stopIssuing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = cluster.Load.RunUntilAsync(i => Cargoes.Request("c01", i), concurrency: 8, perSecond: 40, stopIssuing.Token, ct);

            await cluster.Load.WaitForAcknowledgedAsync(100, ct);
            var before = cluster.Load.Acknowledged;
            var clock = Stopwatch.StartNew();
            await cluster.Rabbit.StopAsync(ct);
            log.Line($"RabbitMQ stopped gracefully after {before} acknowledged shipments (the stop took {clock.Elapsed.TotalSeconds:F1}s)");
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            await OutageAsync(cluster, "graceful stop", before, ct);

            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 100, ct);
            before = cluster.Load.Acknowledged;
            var pid = await cluster.Rabbit.KillAsync(ct);
            log.Line($"RabbitMQ (beam pid {pid}) killed with SIGKILL after {before} acknowledged shipments");
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var healed = await OutageAsync(cluster, "SIGKILL", before, ct);

            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 100, ct);
            await stopIssuing.CancelAsync();
            var issued = await load;
            log.Line($"load stopped after {issued} shipments");
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            cluster.Log.Figure("time to converge", $"{healed.Elapsed.TotalSeconds:F1}s after the restart that followed the SIGKILL, {converged.TotalSeconds:F1}s after the load ended");
            await cluster.AssertInvariantAsync(ct);
        });

    /// <summary>Measures what happened while the broker was down, restarts it in place and times the recovery.</summary>
    private static async Task<Stopwatch> OutageAsync(FaultCluster cluster, string what, long acknowledgedBefore, CancellationToken ct)
    {
        var unsent = await cluster.OutboxUnsentAsync(ct);
        var accepted = cluster.Load.Acknowledged - acknowledgedBefore;
        var clock = Stopwatch.StartNew();
        await cluster.Rabbit.StartAsync(ct);
        var restart = clock.Elapsed;
        var healed = Stopwatch.StartNew();
        // Same directory and node name: the durable queue and every message RabbitMQ had confirmed are back.
        await Eventually.MatchAsync(() => cluster.Rabbit.DeclarePassiveAsync(FaultCluster.TradeQueue, ct), q => q is { Consumers: > 0 },
            TimeSpan.FromSeconds(90), "Trade's consumer to re-attach");
        var reattached = healed.Elapsed;
        await Eventually.MatchAsync(() => cluster.OutboxUnsentAsync(ct), n => n < 20, TimeSpan.FromSeconds(90), "the relay to publish the backlog");
        cluster.Log.Figure(what, $"{accepted} shipments acknowledged while RabbitMQ was down, {unsent} events waiting in the outbox; " +
            $"restart took {restart.TotalSeconds:F1}s; Trade consuming again {reattached.TotalSeconds:F1}s and the outbox drained {healed.Elapsed.TotalSeconds:F1}s after it");
        Assert.True(accepted > 0, $"{what}: Shipments must keep accepting shipments while RabbitMQ is down");
        Assert.True(unsent > 0, $"{what}: events must wait in the outbox while RabbitMQ is down");
        return healed;
    }
}
