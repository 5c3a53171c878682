using System.Diagnostics;
using System.Net;
using EnergyTrade.FaultTests.Infrastructure;
using EnergyTrade.Trade.V1;
using Grpc.Core;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 4: Trade's own PostgreSQL (a separate cluster holding only Trade's database) is stopped with
/// pg_ctl for a while under load. Events must wait and be retried — never dead-lettered — queries must
/// answer UNAVAILABLE rather than wrong zeros, readiness must say 503, and after healing the totals
/// must be exact.
/// </summary>
[Trait("Category", "Fault")]
public sealed class TradeDatabaseOutageTests(ITestOutputHelper output)
{
    [Fact]
    public Task Trade_database_stopped_under_load_retries_answers_unavailable_and_ends_exact() =>
        FaultCase.RunAsync(output, "04-trade-db-down", TimeSpan.FromMinutes(3), separateDatabases: true, body: async (cluster, ct) =>
        {
            var log = cluster.Log;
            await cluster.StartShipmentsAsync();
            var trade = await cluster.StartTradeAsync();

            const int count = 600;
            log.Line($"load: {count} shipments, 8 in flight, 50/s");
            var load = cluster.Load.RunAsync(Cargoes.Requests("c04", count), concurrency: 8, ct, perSecond: 50);

            await cluster.Load.WaitForAcknowledgedAsync(100, ct);
            await Eventually.MatchAsync(() => cluster.AppliedShipmentsAsync(ct), n => n >= 50, TimeSpan.FromSeconds(30), "Trade to apply some events");
            await cluster.TradePg.StopAsync(ct);
            var outage = Stopwatch.StartNew();
            log.Line($"stopped Trade's PostgreSQL (pg_ctl stop -m fast) after {cluster.Load.Acknowledged} acknowledged shipments");

            var request = new GetBilateralTotalsRequest
            {
                Country = "AZ", Partner = "BY", FirstMonth = Cargoes.Month(Cargoes.FirstMonth), LastMonth = Cargoes.Month(Cargoes.LastMonth),
            };
            int unavailable = 0, notReady = 0, probes = 0;
            long deepest = 0;
            var wrong = new List<string>();
            while (outage.Elapsed < TimeSpan.FromSeconds(10))
            {
                probes++;
                try
                {
                    var totals = await cluster.TradeClient.GetBilateralTotalsAsync(request, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct));
                    wrong.Add($"answered {totals.Exports.ShipmentCount} shipments while its database was down");
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
                {
                    unavailable++;
                }
                catch (RpcException ex)
                {
                    wrong.Add($"{ex.StatusCode}: {ex.Status.Detail}");
                }
                var ready = await cluster.ReadyStatusAsync(trade, ct);
                if (ready == HttpStatusCode.ServiceUnavailable) notReady++;
                else wrong.Add($"/health/ready answered {(int)ready}");
                deepest = Math.Max(deepest, await cluster.QueueDepthAsync(FaultCluster.TradeQueue, ct));
                await Task.Delay(500, ct);
            }
            var error = await cluster.QueueDepthAsync(FaultCluster.ErrorQueue, ct);
            log.Line($"during the outage: {probes} probes, GetBilateralTotals UNAVAILABLE {unavailable}×, /health/ready 503 {notReady}×, " +
                $"up to {deepest} messages waiting in Trade's queue, {error} in _error");
            cluster.Log.Figure("outage probes", $"{probes}: UNAVAILABLE {unavailable}, 503 {notReady}, wrong answers {wrong.Count}, queue depth up to {deepest}");
            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
            Assert.Equal(probes, unavailable);
            Assert.Equal(probes, notReady);
            Assert.Equal(0, error);
            Assert.True(deepest > 0, "events must wait in Trade's queue while its database is down");

            await cluster.TradePg.StartAsync(ct);
            var healed = Stopwatch.StartNew();
            log.Line($"restarted Trade's PostgreSQL after {outage.Elapsed.TotalSeconds:F1}s");
            await Eventually.MatchAsync(() => cluster.ReadyStatusAsync(trade, ct), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "Trade to be ready again");
            cluster.Log.Figure("ready again", $"{healed.Elapsed.TotalSeconds:F1}s after the database returned");

            await load;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            cluster.Log.Figure("time to converge", $"{healed.Elapsed.TotalSeconds:F1}s after the database returned, {converged.TotalSeconds:F1}s after the load ended");
            Assert.False(trade.HasExited, "Trade must ride out its database outage without restarting");
            await cluster.AssertInvariantAsync(ct);
        });
}
