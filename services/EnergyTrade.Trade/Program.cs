using EnergyTrade.Persistence;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Api;
using EnergyTrade.Trade.Data;
using EnergyTrade.Trade.Messaging;
using EnergyTrade.Trade.Refusals;
using EnergyTrade.Trade.Totals;
using Microsoft.Extensions.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("energytrade-trade");
builder.Services.AddSingleton(TimeProvider.System);

// One pool shared by EF (queries, migrations) and the applier's set-based SQL.
builder.AddPostgres<TradeDbContext>("Trade");
builder.Services.AddSingleton<NameBook>();
builder.Services.AddSingleton<TotalsApplier>();
builder.Services.AddSingleton<UnappliedEvents>();
builder.Services.AddSingleton<ConsumeMetrics>();
builder.Services.AddSingleton<RefusalLog>();

builder.AddTradeMessaging();
builder.AddTradeApi();

builder.Services.AddHealthChecks()
    .AddDbContextCheck<TradeDbContext>("postgresql", tags: [ServiceDefaultsExtensions.ReadyTag])
    .AddCheck<RefusedEventsHealthCheck>("refused-events", HealthStatus.Degraded, [ServiceDefaultsExtensions.ReadyTag]);

var app = builder.Build();

await app.MigrateDatabaseAsync<TradeDbContext>();

app.UseServiceDefaults();
app.MapGrpcService<TradeGrpcService>();

app.Run();
