using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyTrade.Trade.Refusals;

/// <summary>Degraded while any shipment event sits refused: the totals are short of what Shipments recorded.</summary>
public sealed class RefusedEventsHealthCheck(RefusalLog log) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var count = await log.CountAsync(cancellationToken);
        return count == 0
            ? HealthCheckResult.Healthy("No refused events.")
            : HealthCheckResult.Degraded(
                $"{count} refused event(s) are not counted: list them with ListRefusedEvents (energytrade trade refused), fix the cause, then re-drive the _error queue (scripts/redrive-errors.sh).",
                data: new Dictionary<string, object> { ["refused_events"] = count });
    }
}
