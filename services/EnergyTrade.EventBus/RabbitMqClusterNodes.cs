using Microsoft.Extensions.Configuration;

namespace EnergyTrade.EventBus;

/// <summary>
/// The nodes of a RabbitMQ cluster (Messaging:ClusterNodes, "host:port,host:port,…"): the connection
/// of ConnectionStrings:RabbitMq gives user, password, vhost and TLS, the list where to connect. When a
/// connection breaks, the next attempt goes to the next node in the list.
/// </summary>
public static class RabbitMqClusterNodes
{
    public static IReadOnlyList<string> From(IConfiguration configuration)
    {
        var text = configuration["Messaging:ClusterNodes"];
        if (string.IsNullOrWhiteSpace(text)) return [];
        var nodes = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var node in nodes)
        {
            var colon = node.LastIndexOf(':');
            if (colon <= 0 || !ushort.TryParse(node.AsSpan(colon + 1), out var port) || port == 0)
            {
                throw new InvalidOperationException(
                    $"Messaging:ClusterNodes has '{node}'; list every node as host:port, separated by commas (e.g. rabbit-1:5672,rabbit-2:5672,rabbit-3:5672).");
            }
        }
        return nodes;
    }

    /// <summary>
    /// The list turned to start at <paramref name="start"/> (each process picks one at random), so the
    /// replicas of a service spread over the cluster instead of all connecting to the first node, and
    /// the loss of one node moves only the connections it held.
    /// </summary>
    public static IReadOnlyList<string> Rotated(IReadOnlyList<string> nodes, int start) =>
        nodes.Count == 0 ? nodes : [.. nodes.Skip(start % nodes.Count), .. nodes.Take(start % nodes.Count)];
}
