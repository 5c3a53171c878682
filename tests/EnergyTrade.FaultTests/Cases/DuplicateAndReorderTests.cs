using System.Diagnostics;
using EnergyTrade.FaultTests.Infrastructure;
using EnergyTrade.Shipments.V1;
using Npgsql;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 7: every event Shipments ever wrote delivered ten times — five with its own message id (a
/// broker redelivery or relay re-send) and five with fresh ids — newest version first, so Trade sees
/// amendments and cancellations before the versions they replace. The real, in-order events follow
/// afterwards, when Shipments is let back onto the broker. The totals must be those of the newest
/// version of each shipment, once.
/// </summary>
[Trait("Category", "Fault")]
public sealed class DuplicateAndReorderTests(ITestOutputHelper output)
{
    [Fact]
    public Task Every_event_ten_times_and_newest_first_leaves_each_shipment_counted_once_at_its_latest_version() =>
        FaultCase.RunAsync(output, "07-duplicates-reordered", TimeSpan.FromMinutes(3), async (cluster, ct) =>
        {
            var log = cluster.Log;
            var proxy = cluster.ProxyShipmentsRabbit();
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());

            const int count = 120;
            await cluster.Load.RunAsync(Cargoes.Requests("c07", count), concurrency: 8, ct);
            await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(60), ct);
            log.Line($"{count} shipments created and applied");

            // Amendments and cancellations are committed while Shipments cannot publish them.
            proxy.Cut();
            var names = cluster.Ledger.Shipments.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
            var amended = names.Take(60).ToList();
            foreach (var round in new[] { 1, 2 })
            {
                await Task.WhenAll(amended.Select((name, i) => cluster.Load.AmendAsync(name, new Quantity
                {
                    Value = Cargoes.Dec(300_000m + round * 1_000m + i + 0.25m), Unit = Quantity.Types.Unit.Barrels,
                }, ct)));
            }
            foreach (var name in amended.Take(20)) await cluster.Load.CancelAsync(name, ct);
            log.Line($"amended {amended.Count} shipments twice (v2, v3) and cancelled 20 of them (v4) with Shipments cut off RabbitMQ");

            var events = new List<(string Payload, Guid MessageId)>();
            await using (var connection = new NpgsqlConnection(cluster.ShipmentsPg.ConnectionString(FaultCluster.ShipmentsDatabase)))
            {
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand("SELECT payload::text, message_id FROM outbox_messages ORDER BY id DESC", connection);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) events.Add((reader.GetString(0), reader.GetGuid(1)));
            }
            Assert.Equal(count + amended.Count * 2 + 20, events.Count);

            var clock = Stopwatch.StartNew();
            await using (var raw = await RawEvents.ConnectAsync(cluster.Rabbit.AmqpUri))
            {
                foreach (var (payload, messageId) in events)
                {
                    for (var copy = 0; copy < 10; copy++) await raw.PublishPayloadAsync(payload, copy < 5 ? messageId : Guid.NewGuid());
                }
            }
            var replayed = events.Count * 10;
            log.Line($"published {replayed} events straight into Trade's exchange in {clock.Elapsed.TotalSeconds:F1}s: {events.Count} events × 10, newest first");
            await Eventually.MatchAsync(() => cluster.QueueDepthAsync(FaultCluster.TradeQueue, ct), n => n == 0, TimeSpan.FromSeconds(90), "Trade to absorb the replay");
            cluster.Log.Figure("replay absorbed", $"{replayed} events in {clock.Elapsed.TotalSeconds:F1}s ({replayed / clock.Elapsed.TotalSeconds:F0} events/s)");
            // Already exact: the newest versions arrived first, through the replay.
            var early = await cluster.DifferencesAsync(ct);
            Assert.True(early.Count == 0, "after the replay: " + string.Join("\n", early.Take(10)));

            proxy.Restore();
            log.Line("Shipments back on RabbitMQ: the relay now publishes the amendments in order — all stale by now");
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(60), ct);
            cluster.Log.Figure("time to converge", $"{converged.TotalSeconds:F1}s after the relay reconnected");
            var cancelled = cluster.Ledger.Shipments.Count(s => s.State == Shipment.Types.State.Cancelled);
            Assert.Equal(20, cancelled);
            Assert.True(cluster.Ledger.Shipments.Where(s => amended.Contains(s.Name)).All(s => s.Version >= 3));
            if (cluster.Metrics.Available)
            {
                var counters = cluster.Metrics.Total;
                Assert.True(counters.Ignored >= replayed - (count + amended.Count * 2 + 20),
                    $"Trade must have ignored at least every copy beyond the first of each event ({counters})");
            }
            await cluster.AssertInvariantAsync(ct);
        });
}
