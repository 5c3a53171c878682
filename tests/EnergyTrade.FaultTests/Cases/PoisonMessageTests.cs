using System.Diagnostics;
using System.Text.Json;
using EnergyTrade.FaultTests.Infrastructure;

namespace EnergyTrade.FaultTests.Cases;

/// <summary>
/// Case 6: poison published straight into Trade's exchange while good traffic flows: malformed JSON,
/// a message type nobody consumes, a negative quantity, an unknown country. Each must end in
/// energytrade.trade.shipment-events_error — not _skipped, not retried for ever — carrying
/// MassTransit's fault headers; the good shipments keep flowing and the totals are untouched.
/// </summary>
[Trait("Category", "Fault")]
public sealed class PoisonMessageTests(ITestOutputHelper output)
{
    [Fact]
    public Task Poison_messages_end_in_error_with_fault_headers_while_good_traffic_flows() =>
        FaultCase.RunAsync(output, "06-poison", TimeSpan.FromMinutes(3), async (cluster, ct) =>
        {
            var log = cluster.Log;
            await Task.WhenAll(cluster.StartShipmentsAsync(), cluster.StartTradeAsync());

            const int count = 400;
            log.Line($"load: {count} shipments, 8 in flight, 50/s, with poison injected in the middle");
            var load = cluster.Load.RunAsync(Cargoes.Requests("c06", count), concurrency: 8, ct, perSecond: 50);
            await cluster.Load.WaitForAcknowledgedAsync(100, ct);

            var poison = new Dictionary<string, string>
            {
                ["malformed JSON"] = Guid.NewGuid().ToString(),
                ["unknown message type"] = Guid.NewGuid().ToString(),
                ["negative quantity"] = Guid.NewGuid().ToString(),
                ["unknown country"] = Guid.NewGuid().ToString(),
            };
            var clock = Stopwatch.StartNew();
            await using (var raw = await RawEvents.ConnectAsync(cluster.Rabbit.AmqpUri))
            {
                await raw.PublishRawAsync("{ \"messageId\": this is not json", poison["malformed JSON"]);
                await raw.PublishRawAsync(JsonSerializer.Serialize(new
                {
                    messageId = poison["unknown message type"],
                    messageType = new[] { "urn:message:energytrade:shipments:v1:shipment-teleported" },
                    sentTime = DateTimeOffset.UtcNow,
                    headers = new Dictionary<string, object>(),
                    message = new { shipmentId = Guid.NewGuid(), to = "the moon" },
                }), poison["unknown message type"]);
                await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, -5m), Guid.Parse(poison["negative quantity"]));
                await raw.PublishAsync(RawEvents.Snapshot(Guid.NewGuid(), 1, 5m, origin: "XX"), Guid.Parse(poison["unknown country"]));
            }
            log.Line("published 4 poison messages into Trade's exchange");

            // Wait until every poison message has left the queue, wherever it went.
            var (dead, skipped) = await Eventually.MatchAsync(async () => (
                    await cluster.Rabbit.PeekAllAsync(FaultCluster.ErrorQueue, ct), await cluster.Rabbit.PeekAllAsync(FaultCluster.SkippedQueue, ct)),
                q => q.Item1.Count + q.Item2.Count >= poison.Count, TimeSpan.FromSeconds(60), "the poison messages to be dead-lettered");
            cluster.Log.Figure("poison dead-lettered", $"{clock.Elapsed.TotalSeconds:F1}s for all {poison.Count}: {dead.Count} in _error, {skipped.Count} in _skipped");
            Assert.True(skipped.Count == 0, $"{skipped.Count} messages went to _skipped instead of _error: " +
                string.Join(", ", skipped.Select(m => poison.FirstOrDefault(p => p.Value == m.MessageId).Key ?? m.MessageId)));

            foreach (var (kind, id) in poison)
            {
                var message = dead.SingleOrDefault(m => m.MessageId == id);
                Assert.True(message is not null, $"the {kind} message ({id}) is not in _error");
                log.Line($"_error: {kind}: MT-Reason={message.Header("MT-Reason")}, MT-Fault-ExceptionType={message.Header("MT-Fault-ExceptionType")}, " +
                    $"MT-Fault-RetryCount={message.Header("MT-Fault-RetryCount")}, MT-Fault-Message={Shorten(message.Header("MT-Fault-Message"))}");
                Assert.False(string.IsNullOrEmpty(message.Header("MT-Fault-Message")), $"{kind}: no MT-Fault-Message header");
                Assert.False(string.IsNullOrEmpty(message.Header("MT-Fault-ExceptionType")), $"{kind}: no MT-Fault-ExceptionType header");
                Assert.False(string.IsNullOrEmpty(message.Header("MT-Fault-Timestamp")), $"{kind}: no MT-Fault-Timestamp header");
                Assert.Equal("fault", message.Header("MT-Reason"));
            }

            await load;
            var converged = await cluster.WaitForQuietAsync(TimeSpan.FromSeconds(120), ct);
            cluster.Log.Figure("time to converge", $"{converged.TotalSeconds:F1}s after the load ended");
            await cluster.AssertInvariantAsync(ct, expectedPoison: poison.Values.ToList());
        });

    private static string Shorten(string s) => s.Length <= 160 ? s : s[..160] + "…";
}
