using EnergyTrade.EventBus;
using Microsoft.Extensions.Configuration;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class RabbitMqClusterTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void No_node_list_means_the_connection_string_s_host()
    {
        Assert.Empty(RabbitMqClusterNodes.From(Settings()));
        Assert.Empty(RabbitMqClusterNodes.From(Settings(("Messaging:ClusterNodes", " "))));
    }

    [Fact]
    public void The_node_list_is_read_as_host_and_port_pairs()
    {
        var nodes = RabbitMqClusterNodes.From(Settings(("Messaging:ClusterNodes", "127.0.18.2:5672, 127.0.18.3:5682 ,rabbit-3:5672")));

        Assert.Equal(["127.0.18.2:5672", "127.0.18.3:5682", "rabbit-3:5672"], nodes);
    }

    [Theory]
    [InlineData("rabbit-1")]
    [InlineData("rabbit-1:")]
    [InlineData("rabbit-1:0")]
    [InlineData("rabbit-1:70000")]
    [InlineData(":5672")]
    public void A_node_without_a_valid_port_stops_the_start_naming_it(string node)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => RabbitMqClusterNodes.From(Settings(("Messaging:ClusterNodes", $"a:1,{node}"))));

        Assert.Contains($"'{node}'", ex.Message);
        Assert.Contains("host:port", ex.Message);
    }

    [Fact]
    public void Each_process_starts_at_its_own_node_and_keeps_the_others_in_order()
    {
        IReadOnlyList<string> nodes = ["a:1", "b:2", "c:3"];

        Assert.Equal(["a:1", "b:2", "c:3"], RabbitMqClusterNodes.Rotated(nodes, 0));
        Assert.Equal(["b:2", "c:3", "a:1"], RabbitMqClusterNodes.Rotated(nodes, 1));
        Assert.Equal(["c:3", "a:1", "b:2"], RabbitMqClusterNodes.Rotated(nodes, 5));
        Assert.Empty(RabbitMqClusterNodes.Rotated([], 7));
    }

    [Fact]
    public void Trade_s_queue_is_a_quorum_queue_unless_an_unmigrated_install_says_classic()
    {
        Assert.Equal(new TradeQueue("default-name", Quorum: true), TradeQueue.From(Settings(), "default-name"));
        Assert.Equal(new TradeQueue("old", Quorum: false),
            TradeQueue.From(Settings(("Messaging:TradeQueue", "old"), ("Messaging:TradeQueueType", "Classic")), "default-name"));
    }

    [Fact]
    public void A_classic_queue_under_the_quorum_queue_s_name_stops_the_start()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => TradeQueue.From(Settings(("Messaging:TradeQueueType", "classic")), "default-name"));

        Assert.Contains("default-name", ex.Message);
    }

    [Fact]
    public void An_unknown_queue_type_stops_the_start_with_the_choices()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => TradeQueue.From(Settings(("Messaging:TradeQueueType", "stream")), "q"));

        Assert.Contains("quorum", ex.Message);
        Assert.Contains("classic", ex.Message);
    }
}
