using System.Diagnostics;
using EnergyTrade.FaultTests.Infrastructure;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Core;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 14 (issue 18, b): both databases on a pg_auto_failover formation — a primary and a
/// synchronous standby — and the primary's machine is lost mid-load (SIGKILL to its keeper, postgres
/// and every backend at once). The monitor promotes the standby; the services' multi-host
/// connections find it; every create acknowledged before the loss is on the new primary (synchronous
/// replication); a watch opened before the loss keeps streaming, from the new primary; and the lost
/// node, restarted, rejoins as the standby.
/// </summary>
[Trait("Category", "Fault")]
public sealed class DatabaseFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public Task Losing_the_PostgreSQL_primary_fails_over_to_the_standby_and_loses_and_doubles_nothing() =>
        FaultCase.RunAsync(output, "14-pg-primary-lost", TimeSpan.FromMinutes(5), async (cluster, ct) =>
        {
            var log = cluster.Log;
            var pg = cluster.ShipmentsPg;
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());

            // A watch held open through the failover: its last answer must match the final totals.
            var (country, partner) = Cargoes.Pairs[0];
            using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(ct);
            BilateralTotals? watched = null;
            var watchErrors = 0;
            var watch = Task.Run(async () =>
            {
                using var call = cluster.TradeClient.WatchBilateralTotals(new GetBilateralTotalsRequest { Country = country, Partner = partner },
                    cancellationToken: stopWatching.Token);
                try
                {
                    await foreach (var update in call.ResponseStream.ReadAllAsync(stopWatching.Token)) Volatile.Write(ref watched, update);
                }
                catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled)
                {
                    Interlocked.Increment(ref watchErrors);
                    log.Line($"the watch ended with {ex.StatusCode}: {ex.Status.Detail}");
                }
                catch (RpcException) when (stopWatching.IsCancellationRequested)
                {
                }
                catch (OperationCanceledException) when (stopWatching.IsCancellationRequested)
                {
                }
            }, CancellationToken.None);

            log.Line("load: 40 shipments/s, 8 in flight, from before the loss until after the old primary is back");
            using var stopIssuing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = cluster.Load.RunUntilAsync(i => Cargoes.Request("c14", i), concurrency: 8, perSecond: 40, stopIssuing.Token, ct);
            await cluster.Load.WaitForAcknowledgedAsync(150, ct);

            await Eventually.MatchAsync(() => Task.FromResult(Volatile.Read(ref watched)), w => w is not null, TimeSpan.FromSeconds(30), "the watch's first answer");
            var primary = await pg.PrimaryAsync(ct);
            var acknowledgedBefore = cluster.Load.Acknowledged;
            var failuresBefore = cluster.Load.Failures.Values.Sum();
            var clock = Stopwatch.StartNew();
            await pg.KillNodeAsync(primary, ct);
            log.Line($"PostgreSQL node {primary}, the primary, lost (its whole process tree SIGKILLed) after {acknowledgedBefore} acknowledged shipments");

            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 1, ct);
            var writing = clock.Elapsed;
            var promoted = await pg.PrimaryAsync(ct);
            Assert.NotEqual(primary, promoted);
            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 80, ct);
            var failuresInFailover = cluster.Load.Failures.Values.Sum() - failuresBefore;
            log.Line($"node {promoted} promoted; creates acknowledged again {writing.TotalSeconds:F1}s after the loss, after {failuresInFailover} failed attempts (retried)");

            var rejoin = Stopwatch.StartNew();
            await pg.StartNodeAsync(primary, ct);
            var rejoined = rejoin.Elapsed;
            log.Line($"node {primary} back as the standby {rejoined.TotalSeconds:F1}s after its restart began");

            await cluster.Load.WaitForAcknowledgedAsync(cluster.Load.Acknowledged + 150, ct);
            await stopIssuing.CancelAsync();
            var issued = await load;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);

            var final = await cluster.TradeClient.GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = country, Partner = partner }, cancellationToken: ct);
            await Eventually.MatchAsync(() => Task.FromResult(Volatile.Read(ref watched)), w => w is not null && w.Exports.ShipmentCount == final.Exports.ShipmentCount && w.Exports.Barrels.Equals(final.Exports.Barrels)
                && w.Imports.ShipmentCount == final.Imports.ShipmentCount, TimeSpan.FromSeconds(30),
                "the watch opened before the failover to show the final totals");
            await stopWatching.CancelAsync();
            await watch;

            log.Figure("primary lost", $"creates acknowledged again {writing.TotalSeconds:F1}s after the loss, {failuresInFailover} client-visible failed attempts " +
                $"(each retried); the watch held open throughout ({watchErrors} errors); old primary rejoined as standby in {rejoined.TotalSeconds:F1}s; " +
                $"{issued} shipments issued, converged {converged.TotalSeconds:F1}s after the load ended");
            Assert.Equal(0, watchErrors);
            await cluster.AssertInvariantAsync(ct);
        }, replicatedDatabase: true);
}
