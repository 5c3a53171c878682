using EnergyTrade.Shipments.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace EnergyTrade.Shipments.Outbox;

/// <summary>
/// Reports the outbox backlog. An old backlog is Degraded, not Unhealthy: Shipments keeps accepting
/// shipments while RabbitMQ is away, and the events leave once it is back.
/// </summary>
public sealed class OutboxHealthCheck(ShipmentsDbContext db, IOptions<OutboxOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backlog = await db.OutboxMessages.Where(m => m.SentAt == null)
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Oldest = g.Min(m => m.CreatedAt) })
            .FirstOrDefaultAsync(cancellationToken);
        var count = backlog?.Count ?? 0;
        var age = backlog is null ? TimeSpan.Zero : time.GetUtcNow() - backlog.Oldest;
        var data = new Dictionary<string, object>
        {
            ["backlog"] = count,
            ["oldestAgeSeconds"] = (long)age.TotalSeconds,
        };
        return age > options.Value.BacklogWarningAge
            ? HealthCheckResult.Degraded($"{count} events waiting to be published, the oldest for {age:g}: is RabbitMQ reachable?", data: data)
            : HealthCheckResult.Healthy($"{count} events waiting to be published", data);
    }
}
