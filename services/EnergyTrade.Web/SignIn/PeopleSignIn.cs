using EnergyTrade.Contracts.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace EnergyTrade.Web.SignIn;

/// <summary>
/// People sign in with the identity provider (OpenID Connect, authorization code with PKCE) and the page
/// keeps them signed in with its own cookie. Everything but health, metrics, the sign-in pages and the page's
/// scripts and styles needs a signed-in person whose roles allow reading trade figures (the provider granted
/// them trade:read and shipments:read); the browser holds no token, and the page reads the services as its own client.
/// </summary>
public static partial class PeopleSignIn
{
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";
    public const string SignedOutPath = "/signed-out";
    public const string FailedPath = "/signin-failed";

    private static readonly string[] ReadScopes = [Scopes.TradeRead, Scopes.ShipmentsRead];

    public static IHostApplicationBuilder AddPeopleSignIn(this IHostApplicationBuilder builder, WebOptions options)
    {
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "energytrade-page";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = options.Authority!.ToString();
                o.ClientId = options.ClientId;
                o.ClientSecret = options.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                // A redirect, not a cross-site form post: the correlation and nonce cookies can then be SameSite=Lax,
                // and secure only over https, so plain http (loopback in development) works in every browser.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Scope.Clear();
                // Not "profile": a provider grants what names a person by default (Keycloak's realm does), and one that
                // does not register it would refuse the whole request.
                o.Scope.Add(OpenIdConnectScope.OpenId);
                foreach (var scope in ReadScopes) o.Scope.Add(scope);
                o.RequireHttpsMetadata = options.RequireHttpsMetadata ?? (options.Authority.Scheme == Uri.UriSchemeHttps || !options.Authority.IsLoopback);
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.GetClaimsFromUserInfoEndpoint = false;
                // The identity token is kept for a provider that ends its own session on sign-out (Keycloak).
                o.SaveTokens = true;
                o.Events.OnRedirectToIdentityProvider = context =>
                {
                    // The page's own calls get a status it can act on, not a sign-in page in place of JSON.
                    if (context.Request.Path.StartsWithSegments("/api"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.HandleResponse();
                    }
                    return Task.CompletedTask;
                };
                o.Events.OnTokenValidated = context =>
                {
                    // Signing in is not enough: the person's roles must let them read what the page shows.
                    var granted = GrantedScopes(context.TokenEndpointResponse);
                    if (!ReadScopes.All(granted.Contains))
                    {
                        context.Fail($"The provider granted '{string.Join(' ', granted)}', not {string.Join(" and ", ReadScopes)}: the person's roles do not allow reading trade figures.");
                    }
                    return Task.CompletedTask;
                };
                o.Events.OnRemoteFailure = context =>
                {
                    // A second tab, the back button, a sign-in left too long, or roles that allow nothing here:
                    // a page that says so and offers to try again, instead of an error.
                    var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PeopleSignIn));
                    SignInFailed(logger, context.Failure?.Message ?? "unknown");
                    context.Response.Redirect(FailedPath);
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>
    /// The page at /, to people signed in; to others a small page that keeps the address's #view and sends them to
    /// sign in (a fragment never reaches the server, and is lost on the way through the provider's form).
    /// /api/me: who is signed in; /signout: the page forgets them, and a provider that keeps a session of its own
    /// ends it too.
    /// </summary>
    public static IEndpointRouteBuilder MapPeopleSignIn(this IEndpointRouteBuilder app, string pages)
    {
        app.MapGet("/", (HttpContext context) =>
        {
            var headers = context.Response.Headers;
            // One address, two pages (signed in or not): never kept, or a browser revalidating the page it had
            // before signing in would be told it has not changed (the files' dates say nothing about who asks).
            headers.CacheControl = "no-store";
            // Scripts and styles from this server only (the chart sets its canvas's size as inline style); never framed.
            headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            var page = context.User.Identity?.IsAuthenticated == true ? "index.html" : "sign-in-first.html";
            return Results.Text(File.ReadAllText(Path.Combine(pages, page)), "text/html; charset=utf-8");
        }).AllowAnonymous();
        app.MapGet(SignInPath, () => Results.Challenge(new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]))
            .AllowAnonymous();
        app.MapGet(SignedOutPath, () => Results.File(Path.Combine(pages, "signed-out.html"), "text/html; charset=utf-8")).AllowAnonymous();
        app.MapGet(FailedPath, () => Results.File(Path.Combine(pages, "sign-in-failed.html"), "text/html; charset=utf-8")).AllowAnonymous();

        app.MapGet("/api/me", (HttpContext context) => TypedResults.Json(new
        {
            name = context.User.Identity?.Name ?? context.User.FindFirst("preferred_username")?.Value ?? context.User.FindFirst("sub")?.Value,
        }));
        // Anonymous: a person whose cookie has lapsed is signed out already, and lands on the same page.
        app.MapPost(SignOutPath, async (HttpContext context, IOptionsMonitor<OpenIdConnectOptions> oidc) =>
        {
            var signedIn = context.User.Identity?.IsAuthenticated == true;
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (signedIn && await EndsSessionsAsync(oidc.Get(OpenIdConnectDefaults.AuthenticationScheme), context.RequestAborted))
            {
                return Results.SignOut(new AuthenticationProperties { RedirectUri = SignedOutPath }, [OpenIdConnectDefaults.AuthenticationScheme]);
            }
            return Results.Redirect(SignedOutPath);
        }).AllowAnonymous();
        return app;
    }

    /// <summary>Whether the provider has an end-session endpoint; one that cannot be asked now is taken as not.</summary>
    private static async Task<bool> EndsSessionsAsync(OpenIdConnectOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
            return !string.IsNullOrEmpty(configuration.EndSessionEndpoint);
        }
        catch (InvalidOperationException)
        {
            // Unreachable: the page's own cookie is gone, which is what signing out here can do.
            return false;
        }
    }

    /// <summary>The scopes the token response says were granted, or, when it leaves them out, the access token's.</summary>
    private static HashSet<string> GrantedScopes(OpenIdConnectMessage? response)
    {
        var scope = response?.Scope;
        if (string.IsNullOrEmpty(scope) && response?.AccessToken is { Length: > 0 } accessToken)
        {
            // Straight from the token endpoint over the back channel: read, not validated again.
            try
            {
                new JsonWebToken(accessToken).TryGetPayloadValue("scope", out scope);
            }
            catch (ArgumentException)
            {
                // An opaque or encrypted token: nothing to read.
            }
        }
        return [.. (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }

    [LoggerMessage(1, LogLevel.Warning, "A sign-in did not complete: {Reason}")]
    private static partial void SignInFailed(ILogger logger, string reason);
}
