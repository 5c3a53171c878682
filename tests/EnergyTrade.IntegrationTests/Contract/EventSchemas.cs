using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace EnergyTrade.IntegrationTests.Contract;

/// <summary>The JSON Schemas in docs/schemas/ of what Shipments publishes — the two envelopes and the AMQP header table — built with JsonSchema.Net.</summary>
internal sealed class EventSchemas
{
    public const string ShipmentChanged = "shipment-changed.schema.json";
    public const string ShipmentChanges = "shipment-changes.schema.json";
    public const string AmqpHeaders = "amqp-headers.schema.json";

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };

    /// <summary>
    /// Where the files are taken to live, for resolving their relative $refs. Not their file:// path:
    /// against a file URI JsonSchema.Net 8.0.5 resolves "shipment-changed.schema.json#/$defs/uuid" to
    /// the whole document instead of the definition. The reserved .invalid domain is never looked up.
    /// </summary>
    private static readonly Uri BaseUri = new("https://energytrade.invalid/docs/schemas/");

    private readonly Dictionary<string, JsonSchema> _schemas;

    private EventSchemas(Dictionary<string, JsonSchema> schemas) => _schemas = schemas;

    public static string PathOf(string file) => Path.Combine(AsyncApiDocument.DocsDirectory, "schemas", file);

    /// <summary>
    /// The schemas as published, or <paramref name="closed"/>: with every <c>"additionalProperties": true</c>
    /// turned into false. The published schemas leave the contract's objects open, because consumers
    /// ignore fields they do not know (the versioning rule); the closed ones make a field Shipments writes
    /// but the schema does not declare — a rename, an undocumented addition — fail the test. MassTransit's
    /// headers and host are closed too, so what a MassTransit upgrade starts writing shows up here first.
    /// </summary>
    public static EventSchemas Load(bool closed)
    {
        // One registry of our own: the others refer into shipment-changed by its file name, and
        // nothing is left behind in JsonSchema.Net's global registry for the next load to collide with.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var schemas = new Dictionary<string, JsonSchema>();
        foreach (var file in new[] { ShipmentChanged, ShipmentChanges, AmqpHeaders })
        {
            var node = JsonNode.Parse(File.ReadAllText(PathOf(file)))!;
            if (closed) Close(node);
            schemas[file] = JsonSchema.Build(JsonSerializer.SerializeToElement(node), options, new Uri(BaseUri, file));
        }
        return new EventSchemas(schemas);
    }

    /// <summary>Every violation of the schema in <paramref name="file"/>, as "location: keyword: message"; empty when valid.</summary>
    public IReadOnlyList<string> Errors(string file, JsonElement instance)
    {
        var errors = new List<string>();
        Collect(_schemas[file].Evaluate(instance, Evaluation), errors);
        return errors;
    }

    /// <summary>Errors of failed nodes only: the branches a passing oneOf rejected are not failures of the message.</summary>
    private static void Collect(EvaluationResults node, List<string> errors)
    {
        if (node.IsValid) return;
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>()) errors.Add($"{node.InstanceLocation}: {keyword}: {message}");
        foreach (var child in node.Details ?? []) Collect(child, errors);
    }

    private static void Close(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["additionalProperties"] is JsonValue open && open.GetValueKind() == JsonValueKind.True) obj["additionalProperties"] = false;
                foreach (var (_, child) in obj.ToList()) Close(child);
                break;
            case JsonArray array:
                foreach (var child in array) Close(child);
                break;
        }
    }
}
