using System.Diagnostics;
using EnergyTrade.FaultTests.Infrastructure;
using EnergyTrade.Testing;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 11 (issue 18, a): on a three-node RabbitMQ cluster, the node that leads Trade's quorum queue
/// is SIGKILLed mid-load — as if its machine lost power — and restarted 10 s later. A follower takes
/// over the queue, the services' connections move to the surviving nodes, and nothing a client was
/// told is recorded is lost or counted twice.
/// </summary>
[Trait("Category", "Fault")]
public sealed class QuorumLeaderLossTests(ITestOutputHelper output)
{
    [Fact]
    public Task Killing_the_node_that_leads_Trade_s_quorum_queue_loses_and_doubles_nothing() =>
        FaultCase.RunAsync(output, "11-quorum-leader-killed", TimeSpan.FromMinutes(4), async (cluster, ct) =>
        {
            var log = cluster.Log;
            var broker = cluster.Broker!;
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());

            var queue = await Eventually.MatchAsync(() => cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct),
                q => q is { Members.Count: 3 }, TimeSpan.FromSeconds(30), "Trade's queue with a member on each node");
            Assert.Equal("quorum", queue!.Type);
            log.Line($"Trade's queue is a quorum queue with members {string.Join(", ", queue.Members)}; leader {queue.Leader}");

            log.Line("load: 40 shipments/s, 8 in flight, from before the kill until after the node is back");
            using var stopIssuing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = cluster.Load.RunUntilAsync(i => Cargoes.Request("c11", i), concurrency: 8, perSecond: 40, stopIssuing.Token, ct);
            await cluster.Load.WaitForAcknowledgedAsync(150, ct);

            var leader = broker.Node((await cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct))!.Leader!);
            var failuresBefore = cluster.Load.Failures.Values.Sum();
            var acknowledgedAtKill = cluster.Load.Acknowledged;
            var pid = await leader.KillAsync(ct);
            var clock = Stopwatch.StartNew();
            log.Line($"{leader.NodeName} (beam pid {pid}), the queue's leader, killed with SIGKILL after {cluster.Load.Acknowledged} acknowledged shipments");

            var (newLeader, elected) = await broker.NewLeaderAsync(FaultCluster.TradeQueue, leader.NodeName, TimeSpan.FromSeconds(60), ct);
            // Counted from the election: what was delivered before the kill cannot satisfy it.
            var appliedAtElection = await cluster.AppliedShipmentsAsync(ct);
            await Eventually.MatchAsync(() => cluster.AppliedShipmentsAsync(ct), n => n > appliedAtElection + 40, TimeSpan.FromSeconds(60),
                "Trade to apply shipments through the new leader");
            var applying = clock.Elapsed;
            var acknowledgedWhileDown = cluster.Load.Acknowledged - acknowledgedAtKill;

            var down = TimeSpan.FromSeconds(10) - clock.Elapsed;
            if (down > TimeSpan.Zero) await Task.Delay(down, ct);
            var restart = Stopwatch.StartNew();
            await leader.StartAsync(ct);
            await Eventually.MatchAsync(() => cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct), q => q is { Online.Count: 3, Consumers: > 0 },
                TimeSpan.FromSeconds(90), "every member of Trade's queue online again, with Trade consuming");
            log.Line($"{leader.NodeName} back and its member of the queue online {restart.Elapsed.TotalSeconds:F1}s after its restart began");

            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 150, ct);
            await stopIssuing.CancelAsync();
            var issued = await load;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            var clientErrors = cluster.Load.Failures.Values.Sum() - failuresBefore;
            log.Figure("quorum leader lost", $"new leader {newLeader} {elected.TotalSeconds:F1}s after the kill; Trade applying again within {applying.TotalSeconds:F1}s; " +
                $"{clientErrors} client-visible failed attempts while the node was down or rejoining (each retried); {issued} shipments issued, converged {converged.TotalSeconds:F1}s after the load ended");
            Assert.True(acknowledgedWhileDown > 0, "Shipments must keep acknowledging while a RabbitMQ node is down");
            await cluster.AssertInvariantAsync(ct);
        }, clusteredBroker: true);
}
