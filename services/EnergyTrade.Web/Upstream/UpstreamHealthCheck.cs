using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyTrade.Web.Upstream;

/// <summary>
/// Whether Trade and Shipments both say they are serving (gRPC health). Registered as degraded, not
/// unhealthy: the page itself serves, and says so in the browser, while they are away (and scripts/up.sh --ha
/// starts the balancer in front of them only after every process is ready).
/// </summary>
public sealed class UpstreamHealthCheck(GrpcClientFactory clients) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var answers = await Task.WhenAll(AskAsync("trade-health", cancellationToken), AskAsync("shipments-health", cancellationToken));
        var down = answers.Where(a => a is not null).ToList();
        return down.Count == 0 ? HealthCheckResult.Healthy() : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", down));
    }

    private async Task<string?> AskAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await clients.CreateClient<Health.HealthClient>(name)
                .CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(1), cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? null : $"{name}: {reply.Status}";
        }
        catch (RpcException e)
        {
            return $"{name}: {e.StatusCode}";
        }
    }
}
