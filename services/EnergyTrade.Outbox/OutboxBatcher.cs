using System.Security.Cryptography;

namespace EnergyTrade.Outbox;

/// <summary>Groups claimed outbox rows into broker messages: runs of batchable events of one type share one message.</summary>
public static class OutboxBatcher
{
    public sealed record Message(IReadOnlyList<OutboxMessage> Rows)
    {
        /// <summary>
        /// A lone event keeps the id fixed when it was written. A batch gets an id derived from its
        /// members, so re-sending the same rows after a crash re-sends the same message id.
        /// </summary>
        public Guid MessageId => Rows.Count == 1 ? Rows[0].MessageId : DerivedId(Rows);

        public string? TraceParent => Rows[0].TraceParent;

        public (object Payload, Type Type) Read(OutboxMessageTypes types) => Rows.Count == 1 ? types.Read(Rows[0]) : types.Envelope(Rows);
    }

    public static IReadOnlyList<Message> Group(IReadOnlyList<OutboxMessage> rows, OutboxMessageTypes types, int maxEventsPerMessage)
    {
        var messages = new List<Message>();
        var run = new List<OutboxMessage>();
        foreach (var row in rows)
        {
            if (!types.IsBatchable(row))
            {
                Flush();
                messages.Add(new Message([row]));
                continue;
            }
            if (run.Count > 0 && run[0].MessageType != row.MessageType) Flush();
            run.Add(row);
            if (run.Count >= Math.Max(1, maxEventsPerMessage)) Flush();
        }
        Flush();
        return messages;

        void Flush()
        {
            if (run.Count == 0) return;
            messages.Add(new Message(run.ToList()));
            run.Clear();
        }
    }

    private static Guid DerivedId(IReadOnlyList<OutboxMessage> rows)
    {
        var bytes = new byte[rows.Count * 16];
        for (var i = 0; i < rows.Count; i++) rows[i].MessageId.TryWriteBytes(bytes.AsSpan(i * 16));
        return new Guid(SHA256.HashData(bytes).AsSpan(0, 16));
    }
}
