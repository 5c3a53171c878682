using System.Diagnostics;
using EnergyTrade.FaultTests.Infrastructure;
using EnergyTrade.Testing;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 13 (issue 18, c): two replicas of each service behind HAProxy, as scripts/up.sh --ha runs
/// them; one Shipments replica and one Trade replica are SIGKILLed at the same moment mid-load and
/// restarted 5 s later. The balancer takes the dead replicas out of rotation, the surviving Shipments
/// relays the dead one's outbox rows, the surviving Trade gets the dead one's unacknowledged messages
/// again, and clients retry what was in flight: nothing acknowledged is lost or counted twice.
/// </summary>
[Trait("Category", "Fault")]
public sealed class ReplicaLossTests(ITestOutputHelper output)
{
    [Fact]
    public Task Killing_one_replica_of_each_service_at_once_loses_and_doubles_nothing() =>
        FaultCase.RunAsync(output, "13-replicas-killed", TimeSpan.FromMinutes(4), async (cluster, ct) =>
        {
            var log = cluster.Log;
            var (shipments2, trade2) = (cluster.ExtraShipmentsSlots[0], cluster.ExtraTradeSlots[0]);
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartShipmentsAsync(slot: shipments2),
                cluster.StartTradeAsync(), cluster.StartTradeAsync(slot: trade2));
            await Eventually.MatchAsync(() => cluster.Rabbit.DeclarePassiveAsync(FaultCluster.TradeQueue, ct), q => q is { Consumers: 2 },
                TimeSpan.FromSeconds(60), "both Trade replicas consuming");

            log.Line("load: 40 shipments/s, 8 in flight, through the balancers");
            using var stopIssuing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = cluster.Load.RunUntilAsync(i => Cargoes.Request("c13", i), concurrency: 8, perSecond: 40, stopIssuing.Token, ct);
            await cluster.Load.WaitForAcknowledgedAsync(150, ct);

            var failuresBefore = cluster.Load.Failures.Values.Sum();
            var acknowledgedBefore = cluster.Load.Acknowledged;
            var appliedBefore = await cluster.AppliedShipmentsAsync(ct);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(cluster.Shipments.KillAsync(scrapeFirst: false), cluster.Trade.KillAsync(scrapeFirst: false));
            log.Line($"Shipments and Trade replica 1 killed together after {acknowledgedBefore} acknowledged shipments");

            // Past what was in flight at the kill: these calls started after it, on the survivors.
            await cluster.Load.WaitForAcknowledgedAsync(acknowledgedBefore + 8 + 1, ct);
            var firstAcknowledgement = clock.Elapsed;
            await Eventually.MatchAsync(() => cluster.AppliedShipmentsAsync(ct), n => n > appliedBefore + 40, TimeSpan.FromSeconds(60),
                "the surviving Trade replica applying shipments recorded after the kill");
            var applying = clock.Elapsed;
            var down = TimeSpan.FromSeconds(5) - clock.Elapsed;
            if (down > TimeSpan.Zero) await Task.Delay(down, ct);
            var failuresWhileDown = cluster.Load.Failures.Values.Sum() - failuresBefore;

            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());
            await Eventually.MatchAsync(() => cluster.Rabbit.DeclarePassiveAsync(FaultCluster.TradeQueue, ct), q => q is { Consumers: 2 },
                TimeSpan.FromSeconds(60), "both Trade replicas consuming again");
            log.Line($"both replicas back {clock.Elapsed.TotalSeconds:F1}s after the kill");

            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 150, ct);
            await stopIssuing.CancelAsync();
            var issued = await load;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            log.Figure("replicas lost", $"calls started after the kill acknowledged {firstAcknowledgement.TotalSeconds:F1}s after it, the other Trade applying within {applying.TotalSeconds:F1}s; " +
                $"{failuresWhileDown} client-visible failed attempts while the replicas were down (each retried), {cluster.Load.Failures.Values.Sum() - failuresBefore} in all; " +
                $"{issued} shipments issued, converged {converged.TotalSeconds:F1}s after the load ended");
            await cluster.AssertInvariantAsync(ct);
        }, replicas: 2);
}
