using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyTrade.ServiceDefaults;

/// <summary>
/// The readiness checks' statuses as a metric, so an alert can tell "answers /metrics" from "ready":
/// energytrade.health.check.status{check, status} is 1 on each check's current status and 0 on the
/// other two (a state set). Fed by the health check publisher every <see cref="Period"/>.
/// </summary>
public sealed class HealthStatusMetrics : IHealthCheckPublisher
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one readiness check may take before it counts as unhealthy. Shorter than <see cref="Period"/>: a
    /// check that hangs would otherwise cancel the whole report, and the metric would keep its last status.
    /// </summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    private static readonly (HealthStatus Status, string Name)[] States =
        [(HealthStatus.Healthy, "healthy"), (HealthStatus.Degraded, "degraded"), (HealthStatus.Unhealthy, "unhealthy")];

    private volatile IReadOnlyList<(string Check, HealthStatus Status)> _last = [];

    public HealthStatusMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Telemetry.SourceName);
        meter.CreateObservableGauge("energytrade.health.check.status", Observe, unit: null,
            "1 on each readiness check's current status (healthy, degraded or unhealthy), 0 on the others.");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        _last = report.Entries
            .Where(e => e.Value.Tags.Contains(ServiceDefaultsExtensions.ReadyTag))
            .Select(e => (e.Key, e.Value.Status))
            .ToList();
        return Task.CompletedTask;
    }

    private IEnumerable<Measurement<int>> Observe()
    {
        foreach (var (check, status) in _last)
        {
            foreach (var state in States)
            {
                yield return new Measurement<int>(state.Status == status ? 1 : 0,
                    new KeyValuePair<string, object?>("check", check), new KeyValuePair<string, object?>("status", state.Name));
            }
        }
    }
}

public static class HealthStatusMetricsExtensions
{
    /// <summary>
    /// The readiness statuses as a metric, refreshed every <see cref="HealthStatusMetrics.Period"/>. The publisher
    /// options are the process's: gRPC health's Watch streams follow the same period (10 s, first after 2 s).
    /// </summary>
    public static IServiceCollection AddHealthStatusMetrics(this IServiceCollection services)
    {
        services.AddSingleton<IHealthCheckPublisher, HealthStatusMetrics>();
        services.PostConfigure<HealthCheckServiceOptions>(o =>
        {
            foreach (var check in o.Registrations)
            {
                if (check.Tags.Contains(ServiceDefaultsExtensions.ReadyTag) && check.Timeout == Timeout.InfiniteTimeSpan) check.Timeout = HealthStatusMetrics.CheckTimeout;
            }
        });
        return services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(2);
            o.Period = HealthStatusMetrics.Period;
        });
    }
}
