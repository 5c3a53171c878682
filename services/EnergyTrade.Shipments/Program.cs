using EnergyTrade.Contracts.Grades;
using EnergyTrade.Outbox;
using EnergyTrade.Persistence;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Api;
using EnergyTrade.Shipments.Data;
using EnergyTrade.Shipments.Messaging;
using EnergyTrade.Shipments.Republish;
using EnergyTrade.Shipments.Revisions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("energytrade-shipments");
builder.Services.AddSingleton(TimeProvider.System);

// One pool shared by EF (reads, corrections, migrations) and the batched inserts of CreateShipment.
builder.AddPostgres<ShipmentsDbContext>("Shipments");
builder.Services.Configure<ShipmentInserterOptions>(builder.Configuration.GetSection(ShipmentInserterOptions.Section));
builder.Services.AddSingleton<ShipmentInserter>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ShipmentInserter>());
builder.Services.AddScoped<ShipmentWriter>();
builder.Services.AddScoped<RevisionHistory>();

builder.AddShipmentsMessaging();

builder.AddOutbox<ShipmentsDbContext>(ShipmentEvents.Outbox);

builder.Services.Configure<RepublishOptions>(builder.Configuration.GetSection(RepublishOptions.Section));
builder.Services.AddSingleton<RepublishSignal>();
builder.Services.AddScoped<RepublishOperations>();
builder.Services.AddHostedService<RepublishWorker>();

builder.Services.AddHealthChecks()
    .AddDbContextCheck<ShipmentsDbContext>("postgresql", tags: [ServiceDefaultsExtensions.ReadyTag])
    .AddCheck<OutboxHealthCheck<ShipmentsDbContext>>("outbox", tags: [ServiceDefaultsExtensions.ReadyTag]);

// Loading checks every entry: a broken catalogue stops the service here, not at its first create.
_ = GradeCatalogue.Standard;

var app = builder.Build();

await app.MigrateDatabaseAsync<ShipmentsDbContext>();

app.UseServiceDefaults();
app.MapGrpcService<ShipmentsGrpcService>();
app.MapGrpcService<OperationsGrpcService>();

app.Run();
