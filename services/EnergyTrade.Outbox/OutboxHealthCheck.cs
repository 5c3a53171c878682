using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace EnergyTrade.Outbox;

/// <summary>
/// Reports the outbox backlog. An old backlog is Degraded, not Unhealthy: the service keeps accepting
/// changes while RabbitMQ is away, and the events leave once it is back.
/// </summary>
public sealed class OutboxHealthCheck<TContext>(TContext db, IOptions<OutboxOptions> options, TimeProvider time) : IHealthCheck
    where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backlog = await OutboxBacklog.ReadAsync(db, cancellationToken);
        var count = backlog.Count;
        var age = backlog.Age(time.GetUtcNow());
        var data = new Dictionary<string, object>
        {
            ["backlog"] = count,
            ["oldestAgeSeconds"] = age.Ticks / TimeSpan.TicksPerSecond,
        };
        return age > options.Value.BacklogWarningAge
            ? HealthCheckResult.Degraded($"{count} events waiting to be published, the oldest for {age:g}: is RabbitMQ reachable?", data: data)
            : HealthCheckResult.Healthy($"{count} events waiting to be published", data);
    }
}
