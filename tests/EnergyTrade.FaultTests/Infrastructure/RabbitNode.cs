using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>
/// A RabbitMQ node of one case's own, started by infra_start_rabbitmq under the case's directory, or
/// one node of a case's cluster (<see cref="RabbitCluster"/>).
/// Stopping, killing and restarting it disturbs nothing else. It always restarts on the same ports
/// and directory, so its node name and message store are the same: durable queues and the persistent
/// messages RabbitMQ confirmed survive, exactly as with a production broker restart.
/// </summary>
public sealed class RabbitNode : IDisposable
{
    private readonly HttpClient _http;

    private readonly (string Directory, int Index)? _cluster;

    internal RabbitNode(string directory, int port, int managementPort, string host = "127.0.0.1", (string Directory, int Index)? cluster = null)
    {
        Directory = directory;
        Host = host;
        Port = port;
        ManagementPort = managementPort;
        _cluster = cluster;
        _http = new HttpClient { BaseAddress = new Uri($"http://{host}:{managementPort}/"), Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{InfraScript.User}:{InfraScript.Password}")));
    }

    public string Directory { get; }
    public string Host { get; }
    public int Port { get; }
    public int ManagementPort { get; }
    public Uri AmqpUri => new($"amqp://{InfraScript.User}:{InfraScript.Password}@{Host}:{Port}/");
    /// <summary>The node's number in its cluster (1–3); 0 for a single node.</summary>
    public int Index => _cluster?.Index ?? 0;

    /// <summary>The Erlang node name, as the management API names a quorum queue's leader and members.</summary>
    public string NodeName => _cluster is { } c ? $"et-{c.Index}@{Host}" : $"energytrade-{Port}@localhost";

    public static async Task<RabbitNode> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var node = new RabbitNode(directory, InfraScript.FreePort(), InfraScript.FreePort());
        // Queue statistics every 0.5 s instead of 5 s, so "the queue has drained" is seen promptly.
        var confd = Path.Combine(directory, "rabbitmq", "conf.d");
        System.IO.Directory.CreateDirectory(confd);
        await File.WriteAllTextAsync(Path.Combine(confd, "90-fault-tests.conf"), "collect_statistics_interval = 500\n", cancellationToken);
        await node.StartAsync(cancellationToken);
        return node;
    }

    /// <summary>Starts (or restarts) the node in its directory; returns when it accepts connections (and, in a cluster, sees every node).</summary>
    public Task StartAsync(CancellationToken cancellationToken) => _cluster is { } c
        ? InfraScript.RunAsync("infra_start_rabbitmq_cluster_node", [c.Directory, c.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(150), cancellationToken)
        : InfraScript.RunAsync("infra_start_rabbitmq", [Directory, Port.ToString(), ManagementPort.ToString()], TimeSpan.FromSeconds(120), cancellationToken);

    /// <summary>Graceful stop: SIGTERM to the Erlang VM, which closes connections and flushes queues.</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        InfraScript.RunAsync("infra_stop_rabbitmq", [Directory], TimeSpan.FromSeconds(90), cancellationToken);

    /// <summary>SIGKILL to the beam process: no flush, no goodbye to clients, as a power cut.</summary>
    public async Task<int> KillAsync(CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(Directory, "rabbitmq", "rabbitmq.pid");
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile, cancellationToken)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        ProcessSignals.Kill(pid, ProcessSignals.SigKill);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (ProcessSignals.IsAlive(pid) && DateTime.UtcNow < deadline) await Task.Delay(50, cancellationToken);
        return pid;
    }

    public async Task<QueueState?> QueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"api/queues/%2F/{Uri.EscapeDataString(queue)}", cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = json.RootElement;
        long stats(string name) => root.TryGetProperty("message_stats", out var s) && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        string[] names(string name) => root.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? [.. a.EnumerateArray().Select(e => e.GetString() ?? "")] : [];
        return new QueueState(Get(root, "messages_ready"), Get(root, "messages_unacknowledged"), Get(root, "consumers"),
            root.TryGetProperty("durable", out var d) && d.GetBoolean(), stats("redeliver"), stats("publish"), stats("ack"))
        {
            Type = root.TryGetProperty("type", out var t) ? t.GetString() : null,
            Leader = root.TryGetProperty("leader", out var l) ? l.GetString() : null,
            Members = names("members"),
            Online = names("online"),
        };
    }

    /// <summary>Exact ready count and consumers from the broker itself (no statistics delay).</summary>
    public async Task<(uint Ready, uint Consumers)?> DeclarePassiveAsync(string queue, CancellationToken cancellationToken = default)
    {
        await using var connection = await new ConnectionFactory { Uri = AmqpUri }.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return (ok.MessageCount, ok.ConsumerCount);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null; // 404: no such queue
        }
    }

    /// <summary>
    /// Declares a queue of the test's own bound to the given (fanout) exchanges: its message count,
    /// read with <see cref="DeclarePassiveAsync"/>, is an exact, immediate count of what was published.
    /// </summary>
    public async Task CreateObserverQueueAsync(string queue, IEnumerable<string> exchanges, CancellationToken cancellationToken = default)
    {
        await using var connection = await new ConnectionFactory { Uri = AmqpUri }.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        foreach (var exchange in exchanges) await channel.QueueBindAsync(queue, exchange, "", cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Reads every message in a queue with basic.get without acknowledging any, then closes the
    /// channel so they all return to the queue untouched.
    /// </summary>
    public async Task<IReadOnlyList<PeekedMessage>> PeekAllAsync(string queue, CancellationToken cancellationToken = default)
    {
        var messages = new List<PeekedMessage>();
        await using var connection = await new ConnectionFactory { Uri = AmqpUri }.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return messages;
        }
        while (messages.Count < 10_000)
        {
            var result = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
            if (result is null) break;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in result.BasicProperties.Headers ?? new Dictionary<string, object?>())
            {
                headers[key] = value switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(bytes),
                    null => "",
                    _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                };
            }
            messages.Add(new PeekedMessage(result.BasicProperties.MessageId, headers, Encoding.UTF8.GetString(result.Body.Span)));
        }
        return messages;
    }

    private static long Get(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    public void Dispose() => _http.Dispose();
}

/// <summary>A queue as the management API reports it (statistics lag by up to 0.5 s).</summary>
public sealed record QueueState(long Ready, long Unacknowledged, long Consumers, bool Durable, long Redelivered, long Published, long Acknowledged)
{
    public long Total => Ready + Unacknowledged;
    /// <summary>classic or quorum.</summary>
    public string? Type { get; init; }
    /// <summary>A quorum queue's leader, member and online nodes (the online list lags by seconds).</summary>
    public string? Leader { get; init; }
    public IReadOnlyList<string> Members { get; init; } = [];
    public IReadOnlyList<string> Online { get; init; } = [];
}

public sealed record PeekedMessage(string? MessageId, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var v) ? v : "";
}
