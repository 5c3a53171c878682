using System.Diagnostics;
using System.Text.Json;

namespace EnergyTrade.Outbox;

/// <summary>
/// The messages a service's outbox carries, each under the fixed name its contract gives it — never a
/// CLR name, so renaming code cannot strand a row — and, for events that may travel together, the
/// envelope that carries a run of them as one broker message.
/// </summary>
public sealed class OutboxMessageTypes
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _names = [];
    private readonly Dictionary<Type, Func<IReadOnlyList<object>, object>> _envelopes = [];

    /// <param name="name">The contract's message name, written into every row.</param>
    /// <param name="formerNames">Names rows written by earlier versions may carry; read, never written.</param>
    public OutboxMessageTypes Add<T>(string name, params string[] formerNames) where T : class
    {
        _names[typeof(T)] = name;
        _byName[name] = typeof(T);
        foreach (var former in formerNames) _byName[former] = typeof(T);
        return this;
    }

    /// <summary>Runs of <typeparamref name="T"/> claimed together are published as one <typeparamref name="TEnvelope"/>.</summary>
    public OutboxMessageTypes Batch<T, TEnvelope>(Func<IReadOnlyList<T>, TEnvelope> envelope) where T : class where TEnvelope : class
    {
        _envelopes[typeof(T)] = items => envelope(items.Cast<T>().ToList());
        return this;
    }

    /// <summary>The row announcing <paramref name="message"/>, carrying the current trace so it survives the hop.</summary>
    public OutboxMessage Create<T>(T message, Guid? subjectId, DateTimeOffset now) where T : class => new()
    {
        MessageId = Guid.CreateVersion7(),
        MessageType = _names.TryGetValue(typeof(T), out var name)
            ? name
            : throw new InvalidOperationException($"{typeof(T).Name} is not registered as an outbox message."),
        Payload = JsonSerializer.Serialize(message, Json),
        SubjectId = subjectId,
        TraceParent = Activity.Current?.Id,
        CreatedAt = now,
    };

    public (object Message, Type Type) Read(OutboxMessage row)
    {
        var type = TypeOf(row) ?? throw new InvalidOperationException($"Outbox row {row.Id} has unknown message type '{row.MessageType}'.");
        var message = JsonSerializer.Deserialize(row.Payload, type, Json)
            ?? throw new InvalidOperationException($"Outbox row {row.Id} has an empty payload.");
        return (message, type);
    }

    /// <summary>Whether rows like this one may share a broker message.</summary>
    internal bool IsBatchable(OutboxMessage row) => TypeOf(row) is { } type && _envelopes.ContainsKey(type);

    /// <summary>One broker message for rows of one batchable type.</summary>
    internal (object Message, Type Type) Envelope(IReadOnlyList<OutboxMessage> rows)
    {
        var items = rows.Select(r => Read(r).Message).ToList();
        var envelope = _envelopes[TypeOf(rows[0])!](items);
        return (envelope, envelope.GetType());
    }

    private Type? TypeOf(OutboxMessage row) => _byName.GetValueOrDefault(row.MessageType);
}
