using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Threading.RateLimiting;
using EnergyTrade.Contracts.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

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
        if (!auth.HasKeys && !auth.AllowAnonymous)
        {
            throw new InvalidOperationException(
                "No token signing key is configured. Set Auth:SigningKey (HS256, at least 32 characters) or Auth:Authority " +
                "(an OpenID Connect issuer), e.g. via Auth__SigningKey; scripts/up.sh generates one. " +
                "Only for local testing: Auth:AllowAnonymous=true starts the service with every method open.");
        }
        if (!string.IsNullOrEmpty(auth.SigningKey) && auth.SigningKey.Length < SharedSigningKey.MinimumLength)
        {
            throw new InvalidOperationException($"Auth:SigningKey must be at least {SharedSigningKey.MinimumLength} characters long.");
        }

        var services = builder.Services;
        // Registered even when anonymous, so the middleware pipeline is the same in both modes.
        services.AddAuthentication();
        if (auth.HasKeys)
        {
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
            {
                // Keep "scope" as it is in the token rather than mapping it to a long URI.
                o.MapInboundClaims = false;
                o.Audience = TokenAudience.Value;
                o.TokenValidationParameters.ValidIssuer = auth.Issuer;
                o.TokenValidationParameters.ValidAudience = TokenAudience.Value;
                o.TokenValidationParameters.ValidateLifetime = true;
                o.TokenValidationParameters.RequireExpirationTime = true;
                o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
                if (!string.IsNullOrWhiteSpace(auth.Authority))
                {
                    o.Authority = auth.Authority;
                }
                else
                {
                    o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey!));
                    o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                }
            });
        }
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
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static bool HasScope(ClaimsPrincipal user, string scope) =>
        user.FindAll("scope").Concat(user.FindAll("scp"))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);

    /// <summary>The token's subject (or client id) when authenticated, else the remote address.</summary>
    private static string CallerOf(HttpContext context) =>
        context.User.FindFirst("sub")?.Value ?? context.User.FindFirst("client_id")?.Value
        ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

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
