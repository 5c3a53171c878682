using System.Security.Claims;
using EnergyTrade.Identity.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EnergyTrade.Identity.Tokens;

/// <summary>
/// The token endpoint's decisions; OpenIddict has already authenticated the client (its secret, or that it is
/// public), checked its grant type and scope permissions, and validated any device code or refresh token.
/// </summary>
public static partial class TokenEndpoint
{
    public const string Path = "/connect/token";

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ExchangeAsync);
        return app;
    }

    private static async Task<IResult> ExchangeAsync(HttpContext context, IOpenIddictApplicationManager applications,
        IOpenIddictScopeManager scopes, DevelopmentUsers users, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(TokenEndpoint));
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The token endpoint was reached without an OpenIddict request.");
        var cancellationToken = context.RequestAborted;

        if (request.IsClientCredentialsGrantType())
        {
            // A service acts for itself: it is the subject. Without a scope it gets every scope it is registered for.
            var clientId = request.ClientId!;
            var requested = request.GetScopes();
            var granted = requested.IsEmpty ? await RegisteredScopesAsync(applications, clientId, cancellationToken) : [.. requested];
            var principal = await TokenPrincipal.CreateAsync([], clientId, clientId, granted, scopes, cancellationToken);
            return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsDeviceCodeGrantType() || request.IsRefreshTokenGrantType() || request.IsAuthorizationCodeGrantType())
        {
            // A person approved this on the verification page or signed in on the authorization page; what they may grant is what their roles allow now,
            // so a refresh after a role was taken away carries less, and one after the user was removed nothing.
            var redeemed = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
                ?? throw new InvalidOperationException("OpenIddict validated the grant but returned no principal.");
            var subject = redeemed.GetClaim(Claims.Subject);
            var clientId = request.ClientId ?? redeemed.GetClaim(Claims.ClientId) ?? "";
            if (users.Find(subject) is not { } user)
            {
                LogUserGone(logger, subject, clientId);
                return Refuse(Errors.InvalidGrant, "The user this grant was issued to is no longer known to the provider.");
            }
            var granted = GrantableScopes(redeemed.GetScopes(), user);
            if (!GrantsAnything(granted))
            {
                LogNothingLeft(logger, user.Name, clientId);
                return Refuse(Errors.InvalidGrant, "The user's roles no longer allow any of the scopes this grant was issued with.");
            }
            var principal = await TokenPrincipal.CreateAsync(redeemed.Claims, user.Name, clientId, granted, scopes, cancellationToken);
            return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Refuse(Errors.UnsupportedGrantType, "This provider serves client_credentials, device_code, refresh_token and authorization_code grants.");
    }

    /// <summary>
    /// Requested ∩ what the person's roles allow; offline_access (a refresh token) and openid (an identity token,
    /// for a web application's sign-in) whenever they were requested.
    /// </summary>
    public static List<string> GrantableScopes(IEnumerable<string> requested, DevelopmentUser user) =>
        [.. requested.Where(s => s is Scopes.OfflineAccess or Scopes.OpenId || user.AllowedScopes.Contains(s)).Distinct(StringComparer.Ordinal)];

    /// <summary>Whether a grant gives the person anything beyond a refresh token and an identity token.</summary>
    public static bool GrantsAnything(IEnumerable<string> granted) => granted.Any(s => s is not (Scopes.OfflineAccess or Scopes.OpenId));

    private static async Task<List<string>> RegisteredScopesAsync(IOpenIddictApplicationManager applications, string clientId, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken)
            ?? throw new InvalidOperationException($"Client {clientId} was authenticated but is not in the store.");
        var permissions = await applications.GetPermissionsAsync(application, cancellationToken);
        return [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.Scope.Length..])];
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    [LoggerMessage(LogLevel.Warning, "Refused a token for user {User} through client {ClientId}: the user is no longer configured")]
    private static partial void LogUserGone(ILogger logger, string? user, string clientId);

    [LoggerMessage(LogLevel.Warning, "Refused a token for user {User} through client {ClientId}: their roles allow none of its scopes any more")]
    private static partial void LogNothingLeft(ILogger logger, string user, string clientId);
}
