using EnergyTrade.Trade.Partners;
using EnergyTrade.Trade.Totals;

namespace EnergyTrade.Trade.Api;

public static class ApiExtensions
{
    /// <summary>The read store behind TradeService, its cache and batched reads, its revision reports, and the one LISTEN connection its watch streams share.</summary>
    public static IHostApplicationBuilder AddTradeApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPartnerGroups(builder.Configuration);
        builder.Services.AddSingleton<TotalsStore>();
        builder.Services.AddSingleton<RevisionReports>();
        builder.Services.AddScoped<TotalsWatch>();
        builder.Services.AddSingleton<TotalsChangeFeed>();
        builder.Services.Configure<TotalsCacheOptions>(builder.Configuration.GetSection(TotalsCacheOptions.Section));
        builder.Services.AddSingleton<TotalsReader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TotalsReader>());
        builder.Services.AddSingleton<TotalsCache>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TotalsChangeFeed>());
        return builder;
    }
}
