using EnergyTrade.ServiceDefaults;
using EnergyTrade.Web;
using EnergyTrade.Web.Api;
using EnergyTrade.Web.Live;
using EnergyTrade.Web.Pairs;
using EnergyTrade.Web.Partners;
using EnergyTrade.Web.Shipments;
using EnergyTrade.Web.SignIn;
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
var options = WebOptions.Read(builder.Configuration);
builder.AddUpstreamClients(options);
builder.AddPeopleSignIn(options);
builder.Services.AddHealthChecks()
    .AddCheck("self", () => HealthCheckResult.Healthy(), [ServiceDefaultsExtensions.LiveTag])
    .AddCheck<UpstreamHealthCheck>("trade-and-shipments", HealthStatus.Degraded, [ServiceDefaultsExtensions.ReadyTag]);

var app = builder.Build();

app.UseUpstreamErrors();
// Scripts, styles and the chart library, to anyone: they hold no figures. They change with every release;
// the browser asks again each time.
app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache" });
app.UseAuthentication();
app.UseAuthorization();

app.MapPeopleSignIn(Path.Combine(AppContext.BaseDirectory, "Pages"));
app.MapPairEndpoints();
app.MapPartnerEndpoints();
app.MapShipmentEndpoints();
app.MapLiveEndpoints();
app.MapHealthChecks("/health/live", new() { Predicate = r => r.Tags.Contains(ServiceDefaultsExtensions.LiveTag) }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new() { Predicate = r => r.Tags.Contains(ServiceDefaultsExtensions.ReadyTag) }).AllowAnonymous();
app.MapMetrics().AllowAnonymous();

app.Run();
