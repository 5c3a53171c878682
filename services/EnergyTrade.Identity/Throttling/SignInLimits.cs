using System.Threading.RateLimiting;

namespace EnergyTrade.Identity.Throttling;

/// <summary>
/// Password guesses on the sign-in page and secret checks at the token endpoint, limited per client address.
/// A public client lets anyone start a device sign-in, so without a limit the page would take guesses as fast
/// as they come. Registered as the global limiter, ahead of OpenIddict, which checks client secrets inside the
/// authentication middleware before any endpoint runs.
/// </summary>
public static class SignInLimits
{
    public static IServiceCollection AddSignInLimits(this IServiceCollection services, IdentityOptions options) =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                if (!HttpMethods.IsPost(context.Request.Method)) return RateLimitPartition.GetNoLimiter("reads");
                return context.Request.Path.Value switch
                {
                    Verification.VerificationEndpoint.Path or SignIn.AuthorizationEndpoint.Path => PerMinute($"sign-in {address}", options.SignInAttemptsPerMinute),
                    Tokens.TokenEndpoint.Path => PerMinute($"token {address}", options.TokenRequestsPerMinute),
                    _ => RateLimitPartition.GetNoLimiter("other"),
                };
            });
        });

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}
