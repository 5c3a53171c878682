using EnergyTrade.Identity;
using EnergyTrade.Identity.Clients;
using EnergyTrade.Identity.Data;
using EnergyTrade.Identity.Keys;
using EnergyTrade.Identity.Throttling;
using EnergyTrade.Identity.Tokens;
using EnergyTrade.Identity.Transport;
using EnergyTrade.Identity.Users;
using EnergyTrade.Identity.SignIn;
using EnergyTrade.Identity.Verification;
using EnergyTrade.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);

builder.Logging.ClearProviders();
builder.Logging.AddJsonConsole(o =>
{
    o.IncludeScopes = true;
    o.UseUtcTimestamp = true;
    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
});
builder.Services.AddSingleton(TimeProvider.System);

// A client without its secret, a user without a password, or plain http beyond loopback stops the provider
// here, before it listens, with the settings to fix.
var options = IdentityOptions.Read(builder.Configuration);
if (options.AllowHttp && PlainHttp.Problem(builder.Configuration) is { } httpProblem) throw new InvalidOperationException(httpProblem);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton<DevelopmentUsers>();

builder.AddPostgres<IdentityDbContext>("Identity");

// Kept in files, not made up at each start, so tokens issued before a restart stay valid after it.
var keys = KeyRing.LoadOrCreate(Path.Combine(builder.Environment.ContentRootPath, options.KeysPath));
builder.Services.AddIdentityProvider(options, keys);

builder.Services.AddSignInLimits(options);
builder.Services.AddSingleton<ClientSeeding>();
builder.Services.AddHostedService<ClientSeeder>();

// Ready once the database is migrated (before anything listens) and the clients are in it.
builder.Services.AddHealthChecks()
    .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"])
    .AddDbContextCheck<IdentityDbContext>("postgresql", tags: ["ready"])
    .AddCheck<ClientSeeding>("clients", tags: ["ready"]);

var app = builder.Build();

KeyLog.Loaded(app.Logger, keys);
if (options.AllowHttp) PlainHttp.LogAllowed(app.Logger);

await app.MigrateDatabaseAsync<IdentityDbContext>();

// Limits first: OpenIddict answers its endpoints (and checks client secrets) from the authentication middleware.
app.UseRateLimiter();
app.UseAuthentication();
app.MapHealthChecks("/health/live", new() { Predicate = c => c.Tags.Contains("live") });
app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
app.MapTokenEndpoint();
app.MapVerificationEndpoint();
app.MapAuthorizationEndpoint();

app.Run();
