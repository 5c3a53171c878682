using MassTransit;
using Microsoft.Extensions.Configuration;

namespace EnergyTrade.EventBus;

/// <summary>
/// Trade's queue as both services declare it (Shipments binds it so no event is dropped before Trade
/// first runs): its name (Messaging:TradeQueue) and type (Messaging:TradeQueueType, quorum or classic).
/// RabbitMQ refuses a second declaration whose arguments differ and closes that channel, so both
/// services take the arguments from here.
/// </summary>
public sealed record TradeQueue(string Name, bool Quorum)
{
    public static TradeQueue From(IConfiguration configuration, string defaultName)
    {
        var name = configuration["Messaging:TradeQueue"] is { Length: > 0 } configured ? configured : defaultName;
        var type = configuration["Messaging:TradeQueueType"] is { Length: > 0 } t ? t : "quorum";
        return type.ToLowerInvariant() switch
        {
            "quorum" => new TradeQueue(name, Quorum: true),
            // Only for an install still on the classic queue of earlier releases, until it is migrated:
            // a classic queue under the quorum queue's name would refuse every later quorum declaration.
            "classic" when name != defaultName => new TradeQueue(name, Quorum: false),
            "classic" => throw new InvalidOperationException(
                $"Messaging:TradeQueueType is classic but Messaging:TradeQueue is the quorum queue's name {defaultName}; an install not yet migrated keeps its classic queue's name too (energytrade.trade.shipment-changed, docs/reliability.md)."),
            _ => throw new InvalidOperationException(
                $"Messaging:TradeQueueType is '{type}'; set it to quorum (the default) or classic (an install not yet migrated, docs/reliability.md)."),
        };
    }

    /// <summary>
    /// A quorum queue is replicated to a majority of the cluster's nodes (all three of three), and a
    /// publisher confirm means a majority has it on disk. No replication factor is given: RabbitMQ's
    /// default (three, capped by the cluster size) is the same for every declarer, one node or three.
    /// The _error queue copies these arguments, so it is a quorum queue too.
    /// </summary>
    public void Configure(IRabbitMqQueueConfigurator queue)
    {
        if (Quorum) queue.SetQuorumQueue();
    }
}
