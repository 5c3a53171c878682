using EnergyTrade.Contracts.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace EnergyTrade.Web.SignIn;

/// <summary>
/// People sign in with the identity provider (OpenID Connect, authorization code with PKCE) and the page
/// keeps them signed in with its own cookie. Everything but health, metrics and the page's scripts and styles
/// needs a signed-in person whose roles allow reading trade figures; the browser holds no token, and the page
/// reads the services as its own client.
/// </summary>
public static class PeopleSignIn
{
    public const string SignOutPath = "/signout";

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
                // which browsers keep on plain http (loopback in development), where SameSite=None needs Secure.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.Scope.Clear();
                o.Scope.Add(OpenIdConnectScope.OpenId);
                o.Scope.Add(Scopes.TradeRead);
                o.Scope.Add(Scopes.ShipmentsRead);
                o.RequireHttpsMetadata = options.Authority.Scheme == Uri.UriSchemeHttps || !options.Authority.IsLoopback;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.GetClaimsFromUserInfoEndpoint = false;
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
            });
        builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    public const string SignedOutPath = "/signed-out";

    /// <summary>
    /// /api/me: who is signed in; /signout: the page forgets them (the development provider keeps no session to
    /// end) and says so on a page of its own, from which signing in again is one link.
    /// </summary>
    public static IEndpointRouteBuilder MapPeopleSignIn(this IEndpointRouteBuilder app, string signedOutPage)
    {
        app.MapGet("/api/me", (HttpContext context) => TypedResults.Json(new
        {
            name = context.User.Identity?.Name ?? context.User.FindFirst("preferred_username")?.Value ?? context.User.FindFirst("sub")?.Value,
        }));
        app.MapPost(SignOutPath, async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(SignedOutPath);
        });
        app.MapGet(SignedOutPath, () => Results.File(signedOutPage, "text/html; charset=utf-8")).AllowAnonymous();
        return app;
    }
}
