using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyTrade.Identity.Clients;

/// <summary>Whether the clients are in the store yet: until then the provider is not ready.</summary>
public sealed class ClientSeeding : IHealthCheck
{
    private volatile bool _complete;

    public void Complete() => _complete = true;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_complete ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The clients are not registered yet."));
}
