using System.Diagnostics;
using EnergyTrade.FaultTests.Infrastructure;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 3: Shipments dies with events committed but not yet published. Deterministically: its AMQP
/// connection is cut (a TCP proxy) so commits pile up in the outbox, then it is SIGKILLed, reconnected
/// and restarted. Then once more at an arbitrary moment with the broker reachable, which can land
/// between a publish and the marking of its rows (a re-send with the same message id).
/// </summary>
[Trait("Category", "Fault")]
public sealed class ShipmentsCrashTests(ITestOutputHelper output)
{
    [Fact]
    public Task Shipments_killed_between_commit_and_publish_delivers_every_event_once_in_effect() =>
        FaultCase.RunAsync(output, "03-shipments-crash", TimeSpan.FromMinutes(3), async (cluster, ct) =>
        {
            var log = cluster.Log;
            var proxy = cluster.ProxyShipmentsRabbit();
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());

            const int count = 700;
            log.Line($"load: {count} shipments, 8 in flight, 60/s; Shipments reaches RabbitMQ through a TCP proxy");
            var load = cluster.Load.RunAsync(Cargoes.Requests("c03", count), concurrency: 8, ct, perSecond: 60);

            await cluster.Load.WaitForAcknowledgedAsync(100, ct);
            proxy.Cut();
            log.Line($"cut Shipments off RabbitMQ after {cluster.Load.Acknowledged} acknowledged shipments");
            var pending = await Eventually.MatchAsync(() => cluster.OutboxUnsentAsync(ct), n => n >= 100, TimeSpan.FromSeconds(30),
                "100 committed events waiting in the outbox");
            var published = (await cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct))?.Published;
            await cluster.Shipments.KillAsync();
            log.Line($"killed Shipments with {pending} committed, unpublished events in its outbox ({published} messages had reached Trade's queue)");
            cluster.Log.Figure("outbox backlog at the kill", $"{pending}");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            proxy.Restore();
            var clock = Stopwatch.StartNew();
            await cluster.StartShipmentsAsync();
            await Eventually.MatchAsync(() => cluster.OutboxUnsentAsync(ct), n => n < 20, TimeSpan.FromSeconds(60), "the restarted relay to publish the backlog");
            log.Line($"restarted Shipments published the backlog within {clock.Elapsed.TotalSeconds:F1}s of its start");

            // Again, with the broker reachable: wherever the relay happens to be.
            await cluster.Load.WaitForAcknowledgedAsync(450, ct);
            await cluster.Shipments.KillAsync();
            await cluster.StartShipmentsAsync();
            var healed = Stopwatch.StartNew();

            await load;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            cluster.Log.Figure("time to converge", $"{healed.Elapsed.TotalSeconds:F1}s after the last restart, {converged.TotalSeconds:F1}s after the load ended");
            cluster.Log.Figure("client retries across the two kills", $"{cluster.Load.Retries}");
            await cluster.AssertInvariantAsync(ct);
        });
}
