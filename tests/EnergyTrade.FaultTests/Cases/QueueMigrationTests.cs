using System.Diagnostics;
using EnergyTrade.Contracts;
using EnergyTrade.FaultTests.Infrastructure;
using EnergyTrade.Testing;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 12: a running install of the release before quorum queues — Trade on the classic queue, with a
/// refused event in its _error — moves to the quorum queue by the documented steps while shipments keep
/// coming (docs/reliability.md, "Moving from the classic queue to the quorum queue"). Trade is stopped
/// before Shipments moves, so events that only ever reached the classic queue must arrive through
/// scripts/migrate-trade-queue.sh or be lost.
/// </summary>
[Trait("Category", "Fault")]
public sealed class QueueMigrationTests(ITestOutputHelper output)
{
    private const string OldQueue = QueueNames.ClassicTradeShipmentChanged;

    private static readonly Dictionary<string, string> OldRelease = new()
    {
        ["Messaging__TradeQueue"] = OldQueue,
        ["Messaging__TradeQueueType"] = "classic",
    };

    [Fact]
    public Task A_running_install_moves_from_the_classic_queue_to_the_quorum_queue_losing_and_doubling_nothing() =>
        FaultCase.RunAsync(output, "12-classic-to-quorum", TimeSpan.FromMinutes(4), async (cluster, ct) =>
        {
            var log = cluster.Log;
            await Task.WhenAll(cluster.StartShipmentsAsync(OldRelease), cluster.Trade.StartAsync(FaultCluster.With(cluster.TradeEnvironment(), OldRelease), waitReady: true, waitForConsumer: false));
            await Eventually.MatchAsync(() => cluster.Rabbit.DeclarePassiveAsync(OldQueue, ct), q => q is { Consumers: > 0 }, TimeSpan.FromSeconds(60), "the old Trade consuming the classic queue");
            Assert.Equal("classic", (await cluster.Rabbit.QueueAsync(OldQueue, ct))!.Type);
            Assert.Null(await cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct));

            log.Line("load: 40 shipments/s, 8 in flight, through every step of the move");
            using var stopIssuing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = cluster.Load.RunUntilAsync(i => Cargoes.Request("c12", i), concurrency: 8, perSecond: 40, stopIssuing.Token, ct);
            await cluster.Load.WaitForAcknowledgedAsync(100, ct);

            var poison = Guid.NewGuid();
            await using (var raw = await RawEvents.ConnectAsync(cluster.Rabbit.AmqpUri))
            {
                await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, -5m), poison);
            }
            await Eventually.MatchAsync(() => cluster.Rabbit.DeclarePassiveAsync(OldQueue + "_error", ct), q => q is { Ready: 1 }, TimeSpan.FromSeconds(30),
                "the old Trade to refuse the poison event into the classic _error queue");

            await cluster.Trade.StopAsync();
            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 120, ct);
            var stranded = (await cluster.Rabbit.DeclarePassiveAsync(OldQueue, ct))!.Value.Ready;
            log.Line($"the old Trade stopped; {stranded} events wait in the classic queue only");

            var clock = Stopwatch.StartNew();
            await cluster.Shipments.StopAsync();
            await cluster.StartShipmentsAsync();
            log.Line($"step 1: Shipments of the new release (declares and binds the quorum queue) after {clock.Elapsed.TotalSeconds:F1}s");
            await Eventually.MatchAsync(() => cluster.Rabbit.QueueAsync(FaultCluster.TradeQueue, ct), q => q is { Type: "quorum" }, TimeSpan.FromSeconds(30), "the quorum queue");
            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 80, ct);
            await cluster.StartTradeAsync();
            log.Line($"step 2: Trade of the new release consuming the quorum queue after {clock.Elapsed.TotalSeconds:F1}s");
            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 80, ct);

            var management = $"http://{cluster.Rabbit.Host}:{cluster.Rabbit.ManagementPort}";
            var moved = await InfraScript.RunAsync("scripts/migrate-trade-queue.sh", ["--management", management, "--timeout", "90"], TimeSpan.FromSeconds(120), ct);
            log.Line($"step 3: scripts/migrate-trade-queue.sh done after {clock.Elapsed.TotalSeconds:F1}s:\n{moved.TrimEnd()}");
            var again = await InfraScript.RunAsync("scripts/migrate-trade-queue.sh", ["--management", management], TimeSpan.FromSeconds(60), ct);
            Assert.Contains("already migrated", again, StringComparison.OrdinalIgnoreCase);

            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 80, ct);
            await stopIssuing.CancelAsync();
            var issued = await load;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            log.Figure("classic to quorum", $"{stranded} events only in the classic queue when Shipments moved, all counted; {issued} shipments issued; " +
                $"converged {converged.TotalSeconds:F1}s after the load ended");
            Assert.True(stranded > 0, "some events must have reached only the classic queue, or the move proves nothing");
            Assert.Null(await cluster.Rabbit.QueueAsync(OldQueue, ct));
            Assert.Null(await cluster.Rabbit.QueueAsync(OldQueue + "_error", ct));
            Assert.Equal("quorum", (await cluster.Rabbit.QueueAsync(FaultCluster.ErrorQueue, ct))!.Type);
            await cluster.AssertInvariantAsync(ct, expectedPoison: [poison.ToString()]);
        });
}
