using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;

namespace EnergyTrade.IntegrationTests.Contract;

/// <summary>An exchange as docs/asyncapi.yaml declares it (bindings.amqp.exchange).</summary>
internal sealed record DocumentedExchange(string Name, string Type, bool Durable, bool AutoDelete);

/// <summary>One message exactly as it left the broker: the exchange it came through, its AMQP properties and its bytes.</summary>
internal sealed record ObservedMessage(string Exchange, IReadOnlyBasicProperties Properties, ReadOnlyMemory<byte> Body)
{
    /// <summary>The AMQP header table as JSON: long strings (bytes on the wire) as strings, integers as numbers.</summary>
    public JsonObject HeaderTable()
    {
        var table = new JsonObject();
        foreach (var (key, value) in Properties.Headers ?? new Dictionary<string, object?>())
        {
            table[key] = value switch
            {
                null => null,
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                int or long or short or byte or sbyte or ushort or uint => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                bool flag => flag,
                // Anything else (tables, arrays, timestamps) is shown as text so the schema can name it.
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            };
        }
        return table;
    }
}

/// <summary>
/// A queue of the test's own bound to the event exchanges, the way a consumer written in another
/// language would subscribe after reading docs/asyncapi.yaml: it declares each exchange with the
/// properties the document gives. Were they not the ones Shipments uses, RabbitMQ would refuse
/// Shipments' own declaration (PRECONDITION_FAILED) and nothing would be published.
/// </summary>
internal sealed class ObserverQueue : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;

    private ObserverQueue(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        _queue = queue;
    }

    public static async Task<ObserverQueue> BindAsync(Uri amqp, IEnumerable<DocumentedExchange> exchanges)
    {
        var connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        // Exclusive and server-named: gone with the connection, and no name to clash with Trade's.
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var exchange in exchanges)
        {
            await channel.ExchangeDeclareAsync(exchange.Name, exchange.Type, exchange.Durable, exchange.AutoDelete);
            await channel.QueueBindAsync(queue, exchange.Name, "");
        }
        return new ObserverQueue(connection, channel, queue);
    }

    /// <summary>
    /// Everything in the queue now. Call it once Shipments has marked its events sent: it does so only
    /// after RabbitMQ confirmed them, and a confirmed message has already been routed to this queue.
    /// </summary>
    public async Task<IReadOnlyList<ObservedMessage>> DrainAsync()
    {
        var messages = new List<ObservedMessage>();
        while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } result)
        {
            messages.Add(new ObservedMessage(result.Exchange, result.BasicProperties, result.Body.ToArray()));
        }
        return messages;
    }

    /// <summary>Messages in any queue of the vhost now, exactly (the management API's counts lag by seconds).</summary>
    public async Task<uint> MessageCountAsync(string queue) => await _channel.MessageCountAsync(queue);

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
