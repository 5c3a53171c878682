using EnergyTrade.Testing;
using YamlDotNet.RepresentationModel;

namespace EnergyTrade.IntegrationTests.Contract;

/// <summary>
/// docs/asyncapi.yaml parsed as YAML and read the way a consumer's tooling would: channel addresses
/// and AMQP bindings, message URNs, and the schema files the messages' payloads reference.
/// </summary>
internal sealed class AsyncApiDocument
{
    private readonly YamlMappingNode _root;

    private AsyncApiDocument(YamlMappingNode root) => _root = root;

    public static string DocsDirectory => Path.Combine(ServiceProcess.RepositoryRoot(), "docs");

    public static AsyncApiDocument Load()
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(DocsDirectory, "asyncapi.yaml")))
        {
            stream.Load(reader);
        }
        return new AsyncApiDocument((YamlMappingNode)Assert.Single(stream.Documents).RootNode);
    }

    public string Version => Scalar(_root, "asyncapi");

    public IEnumerable<(string Key, YamlMappingNode Channel)> Channels =>
        Map(_root, "channels").Children.Select(c => (((YamlScalarNode)c.Key).Value!, (YamlMappingNode)c.Value));

    public IEnumerable<YamlMappingNode> Servers => Map(_root, "servers").Children.Values.Cast<YamlMappingNode>();

    /// <summary>The exchanges, with the properties a subscriber declares them with.</summary>
    public IReadOnlyList<DocumentedExchange> Exchanges => Channels
        .Where(c => Scalar(Map(c.Channel, "bindings", "amqp"), "is") == "routingKey")
        .Select(c => Map(c.Channel, "bindings", "amqp", "exchange"))
        .Select(e => new DocumentedExchange(Scalar(e, "name"), Scalar(e, "type"), bool.Parse(Scalar(e, "durable")), bool.Parse(Scalar(e, "autoDelete"))))
        .ToList();

    /// <summary>The queues: name and durability.</summary>
    public IReadOnlyList<(string Name, bool Durable)> Queues => Channels
        .Where(c => Scalar(Map(c.Channel, "bindings", "amqp"), "is") == "queue")
        .Select(c => Map(c.Channel, "bindings", "amqp", "queue"))
        .Select(q => (Scalar(q, "name"), bool.Parse(Scalar(q, "durable"))))
        .ToList();

    public YamlMappingNode Message(string name) => Map(_root, "components", "messages", name);

    /// <summary>The message names (components.messages) a channel carries, from its $refs.</summary>
    public IReadOnlyList<string> MessagesOf(YamlMappingNode channel) => Map(channel, "messages").Children.Values
        .Select(m => Scalar((YamlMappingNode)m, "$ref"))
        .Select(r => r[(r.LastIndexOf('/') + 1)..])
        .ToList();

    /// <summary>The full path of the schema file a message's payload or headers reference.</summary>
    public string SchemaFile(YamlMappingNode message, string part) =>
        Path.GetFullPath(Path.Combine(DocsDirectory, Scalar(Map(message, part, "schema"), "$ref")));

    public IEnumerable<(string Action, string Channel, YamlMappingNode Operation)> Operations => Map(_root, "operations").Children.Values.Cast<YamlMappingNode>()
        .Select(o => (Scalar(o, "action"), Scalar(Map(o, "channel"), "$ref"), o));

    public static YamlMappingNode Map(YamlMappingNode node, params string[] path)
    {
        foreach (var key in path)
        {
            Assert.True(node.Children.TryGetValue(new YamlScalarNode(key), out var child), $"docs/asyncapi.yaml has no '{key}' at line {node.Start.Line}");
            node = Assert.IsType<YamlMappingNode>(child);
        }
        return node;
    }

    public static string Scalar(YamlMappingNode node, string key)
    {
        Assert.True(node.Children.TryGetValue(new YamlScalarNode(key), out var child), $"docs/asyncapi.yaml has no '{key}' at line {node.Start.Line}");
        return Assert.IsType<YamlScalarNode>(child).Value!;
    }
}
