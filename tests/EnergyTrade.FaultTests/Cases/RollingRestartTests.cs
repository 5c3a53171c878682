using System.Diagnostics;
using EnergyTrade.FaultTests.Infrastructure;
using EnergyTrade.Testing;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 15 (issue 18, e): the whole highly available topology — three RabbitMQ nodes, a
/// pg_auto_failover formation, two replicas of each service behind HAProxy — restarted one process at
/// a time, as a rolling upgrade would, while shipments keep coming: each service replica (SIGTERM),
/// each RabbitMQ node (graceful stop, start, all three nodes online and every queue member back before
/// the next), the PostgreSQL standby (through maintenance), the primary (switched over first), the
/// monitor, and each balancer. No call may need more than 8 attempts (this load backs off 0.1 s to 1 s
/// between them: about 5 s in all), and nothing acknowledged may be lost or counted twice.
/// </summary>
[Trait("Category", "Fault")]
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    private const int MostAttemptsAllowed = 8;

    [Fact]
    public Task Restarting_every_process_one_at_a_time_fails_no_call_beyond_its_retries() =>
        FaultCase.RunAsync(output, "15-rolling-restart", TimeSpan.FromMinutes(8), async (cluster, ct) =>
        {
            var log = cluster.Log;
            var broker = cluster.Broker!;
            var pg = cluster.ShipmentsPg;
            await Task.WhenAll(cluster.ShipmentsSlots.Select(s => cluster.StartShipmentsAsync(slot: s))
                .Concat(cluster.TradeSlots.Select(s => cluster.StartTradeAsync(slot: s))));
            await Eventually.MatchAsync(() => cluster.Rabbit.DeclarePassiveAsync(FaultCluster.TradeQueue, ct), q => q is { Consumers: 2 },
                TimeSpan.FromSeconds(60), "both Trade replicas consuming");

            log.Line("load: 30 shipments/s, 8 in flight, through every restart");
            using var stopIssuing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = cluster.Load.RunUntilAsync(i => Cargoes.Request("c15", i), concurrency: 8, perSecond: 30, stopIssuing.Token, ct);
            await cluster.Load.WaitForAcknowledgedAsync(100, ct);
            var clock = Stopwatch.StartNew();

            async Task Step(string what, Func<Task> restart)
            {
                var step = Stopwatch.StartNew();
                var failures = cluster.Load.Failures.Values.Sum();
                await restart();
                // Some shipments acknowledged after each step: the system serves again before the next.
                await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 30, ct);
                log.Line($"{what}: {step.Elapsed.TotalSeconds:F1}s, {cluster.Load.Failures.Values.Sum() - failures} failed attempts (retried)");
            }

            foreach (var slot in cluster.TradeSlots.Concat(cluster.ShipmentsSlots).ToList())
            {
                await Step($"{slot.Name} restarted", async () =>
                {
                    await slot.StopAsync();
                    await slot.StartAsync(slot.Name.StartsWith("Trade", StringComparison.Ordinal) ? cluster.TradeEnvironment() : cluster.ShipmentsEnvironment(),
                        waitReady: true, waitForConsumer: false);
                    // The balancer checks readiness every second and takes a replica back after one success.
                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                });
            }
            await Eventually.MatchAsync(() => cluster.Rabbit.DeclarePassiveAsync(FaultCluster.TradeQueue, ct), q => q is { Consumers: 2 },
                TimeSpan.FromSeconds(60), "both Trade replicas consuming after their restarts");

            foreach (var node in broker.Nodes)
            {
                await Step($"RabbitMQ {node.NodeName} restarted", async () =>
                {
                    await node.StopAsync(ct);
                    await node.StartAsync(ct);
                    await Eventually.MatchAsync(() => broker.AnyRunning().QueueAsync(FaultCluster.TradeQueue, ct), q => q is { Online.Count: 3, Consumers: 2 },
                        TimeSpan.FromSeconds(90), "every member of Trade's queue online, both consumers attached");
                });
            }

            var standby = 3 - await pg.PrimaryAsync(ct);
            await Step($"PostgreSQL standby (node {standby}) restarted", () => pg.RestartNodeAsync(standby.ToString(System.Globalization.CultureInfo.InvariantCulture), ct));
            await Step($"PostgreSQL primary (node {3 - standby}) switched over and restarted", () => pg.RestartNodeAsync((3 - standby).ToString(System.Globalization.CultureInfo.InvariantCulture), ct));
            await Step("PostgreSQL monitor restarted", () => pg.RestartNodeAsync("monitor", ct));

            await Step("Shipments balancer restarted", () => cluster.RestartBalancerAsync("shipments", ct));
            await Step("Trade balancer restarted", () => cluster.RestartBalancerAsync("trade", ct));

            await stopIssuing.CancelAsync();
            var issued = await load;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            log.Figure("rolling restart", $"{cluster.ShipmentsSlots.Count() + cluster.TradeSlots.Count()} service replicas, 3 RabbitMQ nodes, 2 PostgreSQL nodes and the monitor, " +
                $"2 balancers in {clock.Elapsed.TotalSeconds:F0}s; {cluster.Load.Failures.Values.Sum()} failed attempts, all retried; the most one call needed: " +
                $"{cluster.Load.MostAttempts} attempts, {cluster.Load.LongestCall.TotalSeconds:F1}s; {issued} shipments issued, converged {converged.TotalSeconds:F1}s after the load ended");
            Assert.True(cluster.Load.MostAttempts <= MostAttemptsAllowed,
                $"a call needed {cluster.Load.MostAttempts} attempts: a client that gives up after {MostAttemptsAllowed} would have seen it fail");
            Assert.Equal(0, cluster.Load.FailuresOf(Grpc.Core.StatusCode.DeadlineExceeded));
            await cluster.AssertInvariantAsync(ct);
        }, clusteredBroker: true, replicas: 2, replicatedDatabase: true);
}
