using EnergyTrade.ServiceDefaults;
using EnergyTrade.Web.Api;
using EnergyTrade.Web.Live;
using EnergyTrade.Web.Pairs;
using EnergyTrade.Web.Partners;
using EnergyTrade.Web.Shipments;
using EnergyTrade.Web.Upstream;
using Microsoft.Extensions.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // The page's files are copied next to the program by the build (and publish), so it serves the same
    // files whichever folder it is started from.
    WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
});

builder.AddStructuredLogging();
builder.AddTelemetry("energytrade-web");
builder.Services.AddSingleton(TimeProvider.System);
builder.AddUpstreamClients();
builder.Services.AddHealthChecks()
    .AddCheck("self", () => HealthCheckResult.Healthy(), [ServiceDefaultsExtensions.LiveTag])
    .AddCheck<UpstreamHealthCheck>("trade-and-shipments", HealthStatus.Degraded, [ServiceDefaultsExtensions.ReadyTag]);

var app = builder.Build();

app.UseUpstreamErrors();
app.UseDefaultFiles();
app.UseStaticFiles(new StaticFileOptions
{
    // The page itself is small and changes with every release; the browser asks again each time.
    OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
});

app.MapPairEndpoints();
app.MapPartnerEndpoints();
app.MapShipmentEndpoints();
app.MapLiveEndpoints();
app.MapHealthChecks("/health/live", new() { Predicate = r => r.Tags.Contains(ServiceDefaultsExtensions.LiveTag) });
app.MapHealthChecks("/health/ready", new() { Predicate = r => r.Tags.Contains(ServiceDefaultsExtensions.ReadyTag) });
app.MapMetrics();

app.Run();
