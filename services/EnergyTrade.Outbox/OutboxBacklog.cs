using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Outbox;

/// <summary>Events committed but not yet confirmed by RabbitMQ.</summary>
/// <remarks>A class: the relay replaces it while a scrape reads it, and a reference is never read half-written.</remarks>
public sealed record OutboxBacklog(long Count, DateTimeOffset? Oldest)
{
    public static readonly OutboxBacklog Empty = new(0, null);

    public TimeSpan Age(DateTimeOffset now) => Oldest is { } oldest && now > oldest ? now - oldest : TimeSpan.Zero;

    /// <summary>Served by the partial index on unsent rows, so it stays cheap however much history is kept.</summary>
    public static async Task<OutboxBacklog> ReadAsync(DbContext db, CancellationToken cancellationToken)
    {
        var row = await db.Set<OutboxMessage>().Where(m => m.SentAt == null)
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.LongCount(), Oldest = g.Min(m => m.CreatedAt) })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? Empty : new OutboxBacklog(row.Count, row.Oldest);
    }
}
