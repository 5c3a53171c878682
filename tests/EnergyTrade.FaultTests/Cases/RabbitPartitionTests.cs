using System.Diagnostics;
using EnergyTrade.FaultTests.Infrastructure;
using EnergyTrade.Testing;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 16 (issue 18, d): the RabbitMQ node leading Trade's quorum queue is cut off from the other
/// two — every packet between their addresses dropped, as a failed switch would — for 30 s mid-load,
/// then the network heals. The majority elects a new leader; the cut-off node notices it is in the
/// minority and pauses (pause_minority), closing its clients' connections, which move to the
/// majority; healed, it rejoins and catches up. Nothing acknowledged is lost or counted twice.
/// </summary>
[Trait("Category", "Fault")]
public sealed class RabbitPartitionTests(ITestOutputHelper output)
{
    [Fact]
    public Task Cutting_the_leading_RabbitMQ_node_off_and_healing_it_loses_and_doubles_nothing() =>
        FaultCase.RunAsync(output, "16-rabbitmq-node-cut-off", TimeSpan.FromMinutes(5), async (cluster, ct) =>
        {
            var log = cluster.Log;
            var broker = cluster.Broker!;
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());
            await Eventually.MatchAsync(() => cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct), q => q is { Members.Count: 3, Consumers: > 0 },
                TimeSpan.FromSeconds(30), "Trade's queue with a member on each node and Trade consuming");

            log.Line("load: 40 shipments/s, 8 in flight, from before the cut until after the heal");
            using var stopIssuing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = cluster.Load.RunUntilAsync(i => Cargoes.Request("c16", i), concurrency: 8, perSecond: 40, stopIssuing.Token, ct);
            await cluster.Load.WaitForAcknowledgedAsync(150, ct);

            var cut = broker.Node((await cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct))!.Leader!);
            var majority = broker.Nodes.First(n => n != cut);
            var failuresBefore = cluster.Load.Failures.Values.Sum();
            await broker.PartitionAsync(cut, ct);
            var clock = Stopwatch.StartNew();
            log.Line($"{cut.NodeName}, the queue's leader, cut off from the other nodes after {cluster.Load.Acknowledged} acknowledged shipments");

            var (newLeader, elected) = await broker.NewLeaderAsync(FaultCluster.TradeQueue, cut.NodeName, TimeSpan.FromSeconds(90), ct, observer: majority);
            var appliedAtElection = await cluster.AppliedShipmentsAsync(ct);
            await Eventually.MatchAsync(() => cluster.AppliedShipmentsAsync(ct), n => n > appliedAtElection + 40,
                TimeSpan.FromSeconds(90), "Trade applying shipments through the majority");
            var applying = clock.Elapsed;
            log.Line($"new leader {newLeader} {elected.TotalSeconds:F1}s after the cut; Trade applying through the majority {applying.TotalSeconds:F1}s after it");

            var rest = TimeSpan.FromSeconds(30) - clock.Elapsed;
            if (rest > TimeSpan.Zero) await Task.Delay(rest, ct);
            var failuresWhileCut = cluster.Load.Failures.Values.Sum() - failuresBefore;
            var healed = Stopwatch.StartNew();
            await broker.HealAsync(cut, ct);
            await Eventually.MatchAsync(() => majority.QueueAsync(FaultCluster.TradeQueue, ct), q => q is { Online.Count: 3, Consumers: > 0 },
                TimeSpan.FromSeconds(120), "the cut-off node's member of Trade's queue online again");
            var rejoined = healed.Elapsed;
            log.Line($"healed after {clock.Elapsed.TotalSeconds:F0}s; {cut.NodeName}'s member online again {rejoined.TotalSeconds:F1}s after the heal");

            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 150, ct);
            await stopIssuing.CancelAsync();
            var issued = await load;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            log.Figure("leader cut off", $"new leader {newLeader} {elected.TotalSeconds:F1}s after the cut, Trade applying through the majority within {applying.TotalSeconds:F1}s; " +
                $"{failuresWhileCut} client-visible failed attempts during the 30 s cut (each retried); member online again {rejoined.TotalSeconds:F1}s after the heal; " +
                $"{issued} shipments issued, converged {converged.TotalSeconds:F1}s after the load ended");
            await cluster.AssertInvariantAsync(ct);
        }, clusteredBroker: true);
}
