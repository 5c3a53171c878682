using System.Diagnostics;
using EnergyTrade.Contracts;
using EnergyTrade.FaultTests.Infrastructure;
using EnergyTrade.Shipments.V1;
using Grpc.Core;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 5: Shipments' PostgreSQL (its own cluster) is stopped under load. CreateShipment must answer
/// UNAVAILABLE — nothing stored — and nothing may be published meanwhile; the client's retries with
/// the same request_id succeed exactly once after the database returns.
/// </summary>
[Trait("Category", "Fault")]
public sealed class ShipmentsDatabaseOutageTests(ITestOutputHelper output)
{
    [Fact]
    public Task Shipments_database_stopped_answers_unavailable_and_publishes_nothing() =>
        FaultCase.RunAsync(output, "05-shipments-db-down", TimeSpan.FromMinutes(3), separateDatabases: true, body: async (cluster, ct) =>
        {
            var log = cluster.Log;
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());

            const int count = 500;
            log.Line($"load: {count} shipments, 8 in flight, 50/s");
            var load = cluster.Load.RunAsync(Cargoes.Requests("c05", count), concurrency: 8, ct, perSecond: 50);

            await cluster.Load.WaitForAcknowledgedAsync(150, ct);
            // Counts every message Shipments publishes, exactly and without the management API's delay.
            const string observer = "fault-tests.observer";
            await cluster.Rabbit.CreateObserverQueueAsync(observer, [ShipmentChanged.ExchangeName, ShipmentChanges.ExchangeName], ct);
            await cluster.ShipmentsPg.StopAsync(ct);
            var outage = Stopwatch.StartNew();
            log.Line($"stopped Shipments' PostgreSQL after {cluster.Load.Acknowledged} acknowledged shipments");

            // What the relay had already claimed when the database went may still be on its way (it is
            // re-sent after the outage too, as it could not be marked sent); wait until nothing moves.
            uint? published = null;
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                var now = (await cluster.Rabbit.DeclarePassiveAsync(observer, ct))?.Ready;
                if (now == published) break;
                published = now;
            }
            var acknowledgedAtStop = cluster.Load.Acknowledged;
            var probes = Cargoes.Requests("c05-probe", 20);
            var answers = new Dictionary<StatusCode, int>();
            foreach (var probe in probes)
            {
                try
                {
                    await cluster.ShipmentsClient.CreateShipmentAsync(probe, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(15), cancellationToken: ct));
                    answers[StatusCode.OK] = answers.GetValueOrDefault(StatusCode.OK) + 1;
                }
                catch (RpcException ex)
                {
                    answers[ex.StatusCode] = answers.GetValueOrDefault(ex.StatusCode) + 1;
                    if (ex.StatusCode == StatusCode.Unavailable) Assert.DoesNotContain("   at ", ex.Status.Detail);
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            var during = (await cluster.Rabbit.DeclarePassiveAsync(observer, ct))?.Ready;
            var acknowledgedDuring = cluster.Load.Acknowledged - acknowledgedAtStop;
            log.Line($"during the outage: single CreateShipment attempts answered {string.Join(", ", answers.Select(a => $"{a.Key}×{a.Value}"))}; " +
                $"messages published {published} → {during}; load acknowledged {acknowledgedDuring}");
            cluster.Log.Figure("outage", $"{probes.Count} single attempts: {answers.GetValueOrDefault(StatusCode.Unavailable)} UNAVAILABLE; " +
                $"messages published during the outage {during - published}; shipments acknowledged during it {acknowledgedDuring}");
            Assert.Equal(probes.Count, answers.GetValueOrDefault(StatusCode.Unavailable));
            Assert.Equal(published, during);
            Assert.Equal(0, acknowledgedDuring);

            await cluster.ShipmentsPg.StartAsync(ct);
            var healed = Stopwatch.StartNew();
            log.Line($"restarted Shipments' PostgreSQL after {outage.Elapsed.TotalSeconds:F1}s");

            // The refused requests, retried with their request_ids, are created exactly once.
            await Task.WhenAll(probes.Select(p => cluster.Load.CreateAsync(p, ct)));
            await load;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            cluster.Log.Figure("time to converge", $"{healed.Elapsed.TotalSeconds:F1}s after the database returned, {converged.TotalSeconds:F1}s after the load ended");
            cluster.Log.Figure("load UNAVAILABLE answers retried", $"{cluster.Load.FailuresOf(StatusCode.Unavailable)}");
            Assert.Equal(count + probes.Count, cluster.Ledger.Count);
            await cluster.AssertInvariantAsync(ct);
        });
}
