using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using EnergyTrade.Contracts.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EnergyTrade.ServiceDefaults.Security;

/// <summary>
/// Deny by default: every endpoint needs a valid JWT unless marked anonymous (health, metrics), and
/// each gRPC method names the scope it needs. Writes are rate-limited per caller.
/// </summary>
public static class SecurityExtensions
{
    public const string WritesRateLimit = "writes";

    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (auth.Problem() is { } problem) throw new InvalidOperationException(problem);

        var services = builder.Services;
        // Registered even when anonymous, so the middleware pipeline is the same in both modes.
        services.AddAuthentication();
        if (auth.HasKeys) services.AddTokenValidation(auth);
        services.AddAuthorization(o =>
        {
            foreach (var scope in Scopes.All)
            {
                o.AddPolicy(scope, p =>
                {
                    if (auth.HasKeys) p.RequireAuthenticatedUser().RequireAssertion(c => HasScope(c.User, scope));
                    else p.RequireAssertion(_ => true);
                });
            }
            if (auth.HasKeys) o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });

        var permitsPerSecond = builder.Configuration.GetValue("RateLimiting:WritesPerSecond", 2_000);
        var burst = builder.Configuration.GetValue("RateLimiting:WriteBurst", 20_000);
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(WritesRateLimit, context => RateLimitPartition.GetTokenBucketLimiter(CallerOf(context), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = permitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            o.OnRejected = (context, _) => RejectAsync(context.HttpContext, context.Lease);
        });

        services.Configure<KestrelServerOptions>(k =>
        {
            k.Limits.Http2.MaxStreamsPerConnection = builder.Configuration.GetValue("Limits:MaxStreamsPerConnection", 100);
            k.Limits.Http2.MaxRequestHeaderFieldSize = 16 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            // Bounds JSON (transcoded) bodies and unary gRPC calls, whose messages are at most 256 KiB anyway;
            // Kestrel's own default is ~30 MB. grpc-dotnet lifts it for streaming calls, which are bounded per message.
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            k.Limits.MaxConcurrentConnections = builder.Configuration.GetValue<long?>("Limits:MaxConnections", 1_000);
        });
        return builder;
    }

    public static WebApplication UseSecurity(this WebApplication app)
    {
        var auth = app.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (auth.UsesSharedKey) SecurityLog.SharedKeyMode(app.Logger, auth.Issuer ?? AuthOptions.DefaultSharedKeyIssuer);
        else if (auth.UsesAuthority) SecurityLog.TrustingAuthority(app.Logger, auth.Authority!, auth.Audience);
        else SecurityLog.AnonymousMode(app.Logger);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static bool HasScope(ClaimsPrincipal user, string scope) => ScopesIn(user).Contains(scope, StringComparer.Ordinal);

    /// <summary>The scopes a token carries: "scope" (RFC 9068, Keycloak) and "scp" (Entra ID), each space-separated.</summary>
    internal static IEnumerable<string> ScopesIn(ClaimsPrincipal user) =>
        user.FindAll("scope").Concat(user.FindAll("scp")).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// The client the token was issued to ("azp", or "client_id" in RFC 9068 tokens) and its subject, so
    /// two people using one client, or one person using two clients, are limited apart; the remote address
    /// when there is no token.
    /// </summary>
    internal static string CallerOf(ClaimsPrincipal user, string? remoteAddress)
    {
        var client = user.FindFirst("azp")?.Value ?? user.FindFirst("client_id")?.Value;
        var subject = user.FindFirst("sub")?.Value;
        return client is null && subject is null ? $"address:{remoteAddress ?? "unknown"}" : $"client:{client}|sub:{subject}";
    }

    private static string CallerOf(HttpContext context) => CallerOf(context.User, context.Connection.RemoteIpAddress?.ToString());

    /// <summary>gRPC clients read RESOURCE_EXHAUSTED from a trailers-only response; anything else gets 429.</summary>
    private static ValueTask RejectAsync(HttpContext context, RateLimitLease lease)
    {
        var response = context.Response;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        response.Headers.RetryAfter = Math.Max(1L, (retryAfter.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture);
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = "8";
            response.Headers["grpc-message"] = Uri.EscapeDataString(
                $"Too many writes from this caller: retry after {retryAfter} (limit per caller: see RateLimiting:WritesPerSecond).");
        }
        else
        {
            response.StatusCode = StatusCodes.Status429TooManyRequests;
        }
        return ValueTask.CompletedTask;
    }
}
