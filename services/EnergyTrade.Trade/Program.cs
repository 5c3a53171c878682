using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Api;
using EnergyTrade.Trade.Data;
using EnergyTrade.Trade.Messaging;
using EnergyTrade.Trade.Refusals;
using EnergyTrade.Trade.Totals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("energytrade-trade");
builder.Services.AddSingleton(TimeProvider.System);

var connectionString = builder.Configuration.GetConnectionString("Trade")
    ?? throw new InvalidOperationException("ConnectionStrings:Trade is not set (an Npgsql connection string).");
// One pool shared by EF (queries, migrations) and the applier's set-based SQL.
builder.Services.AddSingleton(_ => PostgresDataSource.Create(connectionString));
builder.Services.AddDbContextPool<TradeDbContext>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
builder.Services.AddSingleton<TotalsApplier>();
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
