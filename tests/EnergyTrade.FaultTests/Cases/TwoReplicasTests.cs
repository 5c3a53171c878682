using EnergyTrade.FaultTests.Infrastructure;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 9: two Trade replicas on the same database and the same queue while the same shipments are
/// amended concurrently, so versions of one shipment are applied by both replicas at once. Shipments
/// sends small batches here (Outbox:MaxEventsPerMessage=5) to spread them over many messages. No
/// update may be lost: each shipment must count once, at its newest version.
/// </summary>
[Trait("Category", "Fault")]
public sealed class TwoReplicasTests(ITestOutputHelper output)
{
    [Fact]
    public Task Two_Trade_replicas_applying_concurrent_amendments_lose_no_update() =>
        FaultCase.RunAsync(output, "09-two-replicas", TimeSpan.FromMinutes(3), async (cluster, ct) =>
        {
            var log = cluster.Log;
            var second = cluster.AddTradeSlot();
            await Task.WhenAll(
                cluster.StartShipmentsAsync(new Dictionary<string, string> { ["Outbox__MaxEventsPerMessage"] = "5" }),
                cluster.StartTradeAsync(),
                cluster.StartTradeAsync(slot: second));
            // Each start waits for a consumer on the queue, which the other replica's can satisfy: wait for both.
            var consumers = await Eventually.MatchAsync(() => cluster.Rabbit.DeclarePassiveAsync(FaultCluster.TradeQueue, ct),
                q => q is { Consumers: >= 2 }, TimeSpan.FromSeconds(60), "both Trade replicas' consumers");
            log.Line($"two Trade replicas consuming {FaultCluster.TradeQueue} ({consumers?.Consumers} consumers)");
            Assert.Equal(2u, consumers?.Consumers);

            const int count = 150, amendmentsPerShipment = 4;
            await cluster.Load.RunAsync(Cargoes.Requests("c09", count), concurrency: 16, ct);
            var names = cluster.Ledger.Shipments.Select(s => s.Name).ToList();
            log.Line($"{count} shipments created; now {amendmentsPerShipment} concurrent amendments of each, and every tenth cancelled among them");

            using var gate = new SemaphoreSlim(32);
            var work = new List<Task>();
            foreach (var (name, i) in names.Select((n, i) => (n, i)))
            {
                for (var a = 0; a < amendmentsPerShipment; a++)
                {
                    var quantity = new Quantity { Value = Cargoes.Dec(100_000m + i * 10 + a + 0.125m), Unit = Quantity.Types.Unit.Barrels };
                    work.Add(Throttled(() => cluster.Load.AmendAsync(name, quantity, ct)));
                }
                if (i % 10 == 0) work.Add(Throttled(() => cluster.Load.CancelAsync(name, ct)));
            }
            await Task.WhenAll(work);

            var versions = cluster.Ledger.Shipments.Sum(s => s.Version);
            cluster.Log.Figure("versions written", $"{versions} across {count} shipments ({cluster.Load.FailuresOf(Grpc.Core.StatusCode.Aborted)} ABORTED version conflicts retried)");
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(90), ct);
            cluster.Log.Figure("time to converge", $"{converged.TotalSeconds:F1}s after the last amendment");
            if (cluster.Metrics.Available)
            {
                foreach (var slot in cluster.TradeSlots)
                {
                    var counters = await cluster.Metrics.ScrapeAsync(slot.Current!, ct);
                    cluster.Log.Figure($"{slot.Name} (pid {slot.Current!.Pid})", $"{counters}");
                    Assert.True(counters?.Applied > 0, $"{slot.Name} applied nothing: the case did not exercise two replicas");
                }
            }
            await cluster.AssertInvariantAsync(ct);

            async Task Throttled(Func<Task> action)
            {
                await gate.WaitAsync(ct);
                try { await action(); } finally { gate.Release(); }
            }
        });
}
