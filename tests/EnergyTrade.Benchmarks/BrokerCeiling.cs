using System.Globalization;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EnergyTrade.Benchmarks;

public sealed record BrokerResult(int Messages, int BodyBytes, int Window, double Seconds, int Consumed, string? Problem, string? ServerVersion)
{
    public double PerSecond => Consumed / Seconds;
}

/// <summary>
/// Raw RabbitMQ.Client: persistent ~1 KB JSON messages published with confirms (a sliding window of unconfirmed
/// publishes) into a temporary durable queue in the pipeline's own vhost, consumed with manual acks on a second
/// connection; end to end = first publish to last ack. The queue is deleted afterwards.
/// </summary>
public static class BrokerCeiling
{
    public const int Window = 256;
    private const ushort Prefetch = 256;

    public static async Task<BrokerResult> RunAsync(Uri amqp, int messages, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = amqp, ClientProvidedName = "energytrade-benchmark", AutomaticRecoveryEnabled = false };
        var queue = $"energytrade.benchmark.raw-{Guid.NewGuid():N}";
        var body = Body();
        Console.WriteLine($"broker ceiling: {messages:N0} persistent {body.Length}-byte messages, confirms (window {Window}), manual acks (prefetch {Prefetch}), queue {queue}");

        await using var publisherConnection = await factory.CreateConnectionAsync(cancellationToken);
        await using var consumerConnection = await factory.CreateConnectionAsync(cancellationToken);
        var version = publisherConnection.ServerProperties?.TryGetValue("version", out var v) == true && v is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;
        await using var setup = await publisherConnection.CreateChannelAsync(cancellationToken: cancellationToken);
        await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        try
        {
            await using var consumerChannel = await consumerConnection.CreateChannelAsync(cancellationToken: cancellationToken);
            await consumerChannel.BasicQosAsync(0, Prefetch, false, cancellationToken);
            var consumed = 0;
            var allConsumed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = new AsyncEventingBasicConsumer(consumerChannel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                await consumerChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                if (Interlocked.Increment(ref consumed) == messages) allConsumed.TrySetResult(Clock.Now);
            };
            await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);

            // Our own window bounds the unconfirmed publishes; the client's throttling limiter is off.
            await using var publisher = await publisherConnection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
                    outstandingPublisherConfirmationsRateLimiter: null), cancellationToken);
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };

            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(TimeSpan.FromSeconds(Math.Max(60, messages / 200.0)));
            var published = 0;
            var start = Clock.Now;
            using var ticker = new Ticker(TimeSpan.FromSeconds(1));
            var last = 0;
            var progress = ticker.RunAsync(() =>
            {
                var c = Volatile.Read(ref consumed);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [broker {Clock.Seconds(start, Clock.Now),5:0.0}s] confirmed {Volatile.Read(ref published),7:N0}  consumed {c,7:N0}/{messages:N0}  rate {c - last,6:N0}/s"));
                last = c;
            }, bound.Token);

            string? problem = null;
            try
            {
                var inFlight = new Queue<Task>(Window);
                for (var i = 0; i < messages; i++)
                {
                    if (inFlight.Count == Window)
                    {
                        await inFlight.Dequeue();
                        published++;
                    }
                    inFlight.Enqueue(publisher.BasicPublishAsync("", queue, mandatory: true, properties, body, bound.Token).AsTask());
                }
                while (inFlight.Count > 0)
                {
                    await inFlight.Dequeue();
                    published++;
                }
                var done = await allConsumed.Task.WaitAsync(bound.Token);
                var seconds = Clock.Seconds(start, done);
                await bound.CancelAsync();
                await progress;
                var result = new BrokerResult(messages, body.Length, Window, seconds, consumed, null, version);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"broker ceiling: {result.PerSecond:N0} msg/s end to end ({seconds:0.00} s)"));
                return result;
            }
            catch (Exception e)
            {
                problem = $"{e.GetType().Name}: {e.Message}";
            }
            await bound.CancelAsync();
            await progress;
            var elapsed = Clock.Seconds(start, Clock.Now);
            Console.WriteLine($"broker ceiling: {problem}");
            return new BrokerResult(messages, body.Length, Window, elapsed, consumed, problem, version);
        }
        finally
        {
            try
            {
                await setup.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: CancellationToken.None);
            }
            catch (Exception e)
            {
                Console.WriteLine($"broker ceiling: could not delete {queue}: {e.Message}");
            }
        }
    }

    /// <summary>A JSON body shaped like a ShipmentChanged snapshot, padded to 1,024 bytes.</summary>
    private static byte[] Body()
    {
        const string json = """
            {"messageId":"5d0f5c2e-0d55-4d3c-9a51-3d7c2f6f2a10","messageType":["urn:message:EnergyTrade.Contracts:ShipmentChanged"],
            "message":{"shipmentId":"7d0f5c2e-0d55-4d3c-9a51-3d7c2f6f2a10","version":1,"state":"Active","occurredAt":"2025-01-01T00:00:00Z",
            "snapshot":{"shipper":"SOCAR","exporterCountry":"AZ","importerCountry":"BY","originCountry":"AZ","grade":"Azeri Light",
            "quantity":"85000","unit":"MetricTonnes","barrelsPerTonne":"7.45","barrels":"633250.000","tonnes":"85000.000",
            "valueUsd":"25000000.00","loadDate":"2020-03-28","deliveryDate":"2020-04-05","loadPort":"Supsa","dischargePort":"Odesa"}},
            "padding":"
            """;
        var text = json.ReplaceLineEndings("");
        const string close = "\"}";
        var padding = 1024 - Encoding.UTF8.GetByteCount(text) - close.Length;
        return Encoding.UTF8.GetBytes(text + new string('x', Math.Max(0, padding)) + close);
    }
}
