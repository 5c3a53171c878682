using EnergyTrade.Identity.Tokens;
using EnergyTrade.Identity.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EnergyTrade.Identity.Verification;

/// <summary>
/// The device flow's end-user verification (RFC 8628 §3.3): a person types the code their terminal shows,
/// signs in and approves or denies. OpenIddict resolves the code to the pending request; approving signs in
/// the person with the scopes their roles allow, and the program polling the token endpoint gets its tokens.
/// The form carries the person's password, and there is no session a forged post could ride on, so it needs no
/// anti-forgery token.
/// </summary>
public static partial class VerificationEndpoint
{
    public const string Path = "/connect/verify";
    public const string ApprovedPath = "/connect/verify/approved";
    public const string DeniedPath = "/connect/verify/denied";

    public static IEndpointRouteBuilder MapVerificationEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ShowAsync);
        app.MapPost(Path, DecideAsync);
        app.MapGet(ApprovedPath, () => Page(VerificationPage.Outcome(approved: true)));
        app.MapGet(DeniedPath, () => Page(VerificationPage.Outcome(approved: false)));
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, IOpenIddictApplicationManager applications)
    {
        var (pending, typedCode) = await PendingAsync(context, applications);
        if (pending is null && !string.IsNullOrEmpty(typedCode))
        {
            return Page(VerificationPage.Form(null, typedCode, null, InvalidCode, VerificationPage.UserCodeField), StatusCodes.Status400BadRequest);
        }
        return Page(VerificationPage.Form(pending, typedCode, null, null, null));
    }

    private static async Task<IResult> DecideAsync(HttpContext context, IOpenIddictApplicationManager applications,
        IOpenIddictScopeManager scopes, DevelopmentUsers users, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(VerificationEndpoint));
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string? userName = form[VerificationPage.UserNameField];
        var (pending, typedCode) = await PendingAsync(context, applications);
        if (pending is null)
        {
            return Page(VerificationPage.Form(null, typedCode, userName, InvalidCode, VerificationPage.UserCodeField), StatusCodes.Status400BadRequest);
        }

        switch (form[VerificationPage.DecisionField].ToString())
        {
            case VerificationPage.Deny:
                LogDenied(logger, pending.ClientId, string.Join(' ', pending.Scopes));
                return Results.Forbid(new AuthenticationProperties { RedirectUri = DeniedPath }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            case VerificationPage.Approve:
                break;
            default:
                return Page(VerificationPage.Form(pending, null, userName, "Choose Approve or Deny.", null), StatusCodes.Status400BadRequest);
        }

        if (users.Authenticate(userName, form[VerificationPage.PasswordField]) is not { } user)
        {
            LogWrongPassword(logger, userName ?? "", pending.ClientId);
            return Page(VerificationPage.Form(pending, null, userName, "The user name or the password is wrong.", VerificationPage.PasswordField),
                StatusCodes.Status401Unauthorized);
        }
        var granted = TokenEndpoint.GrantableScopes(pending.Scopes, user);
        if (!TokenEndpoint.GrantsAnything(granted))
        {
            LogNothingGrantable(logger, user.Name, pending.ClientId, string.Join(' ', pending.Scopes));
            return Page(VerificationPage.Form(pending, null, userName,
                $"Your roles ({string.Join(", ", user.Roles)}) allow none of what this program asks for. Deny the request, " +
                "or run the program again asking for less.", null), StatusCodes.Status403Forbidden);
        }

        var principal = await TokenPrincipal.CreateAsync([], user.Name, pending.ClientId, granted, scopes, context.RequestAborted);
        LogApproved(logger, user.Name, pending.ClientId, string.Join(' ', granted));
        return Results.SignIn(principal, new AuthenticationProperties { RedirectUri = ApprovedPath }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private const string InvalidCode = "That code is not valid, or it has expired. Check it on your terminal, or start the sign-in there again.";

    /// <summary>The request behind the code given (query or form), as OpenIddict validated it, and the code as typed.</summary>
    private static async Task<(PendingSignIn? Pending, string? TypedCode)> PendingAsync(HttpContext context, IOpenIddictApplicationManager applications)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var typedCode = result.Properties?.GetTokenValue(OpenIddictServerAspNetCoreConstants.Tokens.UserCode)
            ?? context.GetOpenIddictServerRequest()?.UserCode;
        if (!result.Succeeded || result.Principal.GetClaim(Claims.ClientId) is not { Length: > 0 } clientId)
        {
            return (null, typedCode);
        }
        var application = await applications.FindByClientIdAsync(clientId, context.RequestAborted);
        var name = application is null ? clientId : await applications.GetDisplayNameAsync(application, context.RequestAborted) ?? clientId;
        return (new PendingSignIn(typedCode ?? "", clientId, name, [.. result.Principal.GetScopes()]), typedCode);
    }

    private static IResult Page(string html, int statusCode = StatusCodes.Status200OK) => VerificationPage.Html(html, statusCode);

    [LoggerMessage(LogLevel.Information, "User {User} approved client {ClientId}'s device sign-in, granting {Scopes}")]
    private static partial void LogApproved(ILogger logger, string user, string clientId, string scopes);

    [LoggerMessage(LogLevel.Information, "Client {ClientId}'s device sign-in (asking for {Scopes}) was denied")]
    private static partial void LogDenied(ILogger logger, string clientId, string scopes);

    [LoggerMessage(LogLevel.Warning, "Wrong user name or password for {User} approving client {ClientId}'s device sign-in")]
    private static partial void LogWrongPassword(ILogger logger, string user, string clientId);

    [LoggerMessage(LogLevel.Warning, "User {User} cannot approve client {ClientId}'s device sign-in: their roles allow none of {Scopes}")]
    private static partial void LogNothingGrantable(ILogger logger, string user, string clientId, string scopes);
}
