using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EnergyTrade.Outbox;

public static class OutboxExtensions
{
    /// <summary>
    /// The relay publishing <typeparamref name="TContext"/>'s outbox rows (configuration section
    /// "Outbox"), woken by <see cref="OutboxSignal"/> after each commit, with its metrics. The context's
    /// model must include <see cref="OutboxModel.AddOutboxMessages"/>.
    /// </summary>
    public static IHostApplicationBuilder AddOutbox<TContext>(this IHostApplicationBuilder builder, OutboxMessageTypes types)
        where TContext : DbContext
    {
        builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection(OutboxOptions.Section));
        builder.Services.AddSingleton(types);
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxMetrics>();
        builder.Services.AddHostedService<OutboxRelay<TContext>>();
        return builder;
    }
}
