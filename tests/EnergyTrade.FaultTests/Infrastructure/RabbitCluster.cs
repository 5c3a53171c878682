using System.Diagnostics;
using System.Globalization;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>
/// Three RabbitMQ nodes of one case's own, clustered (infra_start_rabbitmq_cluster), each on an
/// address of its own in 127.0.0.0/8 as if on a machine of its own. A node killed or stopped is
/// restarted in place and rejoins with its name and data.
/// </summary>
public sealed class RabbitCluster : IDisposable
{
    private RabbitCluster(string directory, IReadOnlyList<RabbitNode> nodes)
    {
        Directory = directory;
        Nodes = nodes;
    }

    public string Directory { get; }
    public IReadOnlyList<RabbitNode> Nodes { get; }

    /// <summary>Messaging:ClusterNodes for the services.</summary>
    public string ClusterNodes => string.Join(',', Nodes.Select(n => $"{n.Host}:{n.Port}"));

    public static async Task<RabbitCluster> StartAsync(string directory, CancellationToken cancellationToken)
    {
        // A /16 of loopback addresses per run, so parallel runs and later network rules never meet.
        var network = $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        var nodes = Enumerable.Range(1, 3).Select(i => new RabbitNode(Path.Combine(directory, $"rabbit-{i}"), InfraScript.FreePort(), InfraScript.FreePort(),
            $"{network}.{i + 1}", (directory, i))).ToList();
        foreach (var node in nodes)
        {
            // Queue statistics every 0.5 s instead of 5 s, so "the queue has drained" is seen promptly.
            var confd = Path.Combine(node.Directory, "rabbitmq", "conf.d");
            System.IO.Directory.CreateDirectory(confd);
            await File.WriteAllTextAsync(Path.Combine(confd, "90-fault-tests.conf"), "collect_statistics_interval = 500\n", cancellationToken);
        }
        await InfraScript.RunAsync("infra_start_rabbitmq_cluster", [directory, .. nodes.Select(n => $"{n.Host}:{n.Port}:{n.ManagementPort}")],
            TimeSpan.FromSeconds(240), cancellationToken);
        return new RabbitCluster(directory, nodes);
    }

    public RabbitNode Node(string nodeName) =>
        Nodes.SingleOrDefault(n => n.NodeName == nodeName) ?? throw new InvalidOperationException($"{nodeName} is not a node of this cluster ({string.Join(", ", Nodes.Select(n => n.NodeName))})");

    /// <summary>A node whose beam runs, for observations (the management API and AMQP of any node see the whole cluster).</summary>
    public RabbitNode AnyRunning() => Nodes.FirstOrDefault(IsRunning) ?? Nodes[0];

    public static bool IsRunning(RabbitNode node)
    {
        var pidFile = Path.Combine(node.Directory, "rabbitmq", "rabbitmq.pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ProcessSignals.IsAlive(pid);
    }

    /// <summary>
    /// Waits until the queue has a leader other than <paramref name="not"/> and returns it with the time
    /// that took, asking <paramref name="observer"/> (a node of the majority during a partition).
    /// </summary>
    public async Task<(string Leader, TimeSpan After)> NewLeaderAsync(string queue, string not, TimeSpan timeout, CancellationToken cancellationToken,
        RabbitNode? observer = null)
    {
        var clock = Stopwatch.StartNew();
        var state = await Testing.Eventually.MatchAsync(() => (observer ?? AnyRunning()).QueueAsync(queue, cancellationToken),
            q => q?.Leader is { Length: > 0 } leader && leader != not && IsRunning(Node(leader)), timeout, $"a new leader of {queue} other than {not}");
        return (state!.Leader!, clock.Elapsed);
    }

    /// <summary>Cuts node <paramref name="node"/> off from the other two (nftables DROP both ways); clients on 127.0.0.1 still reach it.</summary>
    public Task PartitionAsync(RabbitNode node, CancellationToken cancellationToken) =>
        InfraScript.RunAsync("infra_partition_rabbitmq_node", [Directory, node.Index.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(300), cancellationToken);

    /// <summary>
    /// Removes the cut and waits until the node runs RabbitMQ again with every peer (infra_await_rabbitmq_node:
    /// the management API counts a node still booting as running, and unsticks the rare boot left hanging).
    /// </summary>
    public async Task HealAsync(RabbitNode node, CancellationToken cancellationToken)
    {
        var index = node.Index.ToString(CultureInfo.InvariantCulture);
        await InfraScript.RunAsync("infra_heal_rabbitmq_node", [Directory, index], TimeSpan.FromSeconds(60), cancellationToken);
        await InfraScript.RunAsync("infra_await_rabbitmq_node", [Directory, index, "120"], TimeSpan.FromSeconds(150), cancellationToken);
    }

    public void Dispose()
    {
        foreach (var node in Nodes) node.Dispose();
    }
}
