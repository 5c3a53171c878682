using EnergyTrade.Identity.Tokens;
using EnergyTrade.Identity.Users;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;

namespace EnergyTrade.Identity.SignIn;

/// <summary>
/// The authorization code flow's sign-in (OpenID Connect, with PKCE): a web application (the analysts' page)
/// sends a person here, they sign in, and OpenIddict returns them to the application with a code it redeems at
/// the token endpoint. OpenIddict has already checked the client, its redirect address and its PKCE challenge.
/// There is no session here: every sign-in asks for the password, so the form, which carries it, needs no
/// anti-forgery token; posts are rate-limited per address like the verification page's.
/// </summary>
public static partial class AuthorizationEndpoint
{
    public const string Path = "/connect/authorize";

    public static IEndpointRouteBuilder MapAuthorizationEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ShowAsync);
        app.MapPost(Path, SignInAsync);
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, IOpenIddictApplicationManager applications)
    {
        var request = Request(context);
        return SignInPage.Result(request, SignInPage.Form(request, await ClientNameAsync(request, applications, context.RequestAborted), null, null));
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IOpenIddictApplicationManager applications,
        IOpenIddictScopeManager scopes, DevelopmentUsers users, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AuthorizationEndpoint));
        var request = Request(context);
        var clientName = await ClientNameAsync(request, applications, context.RequestAborted);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string? userName = form[SignInPage.UserNameField];

        if (users.Authenticate(userName, form[SignInPage.PasswordField]) is not { } user)
        {
            LogWrongPassword(logger, userName ?? "", request.ClientId ?? "");
            return SignInPage.Result(request, SignInPage.Form(request, clientName, userName, "The user name or the password is wrong."), StatusCodes.Status401Unauthorized);
        }
        var granted = TokenEndpoint.GrantableScopes(request.GetScopes(), user);
        if (!TokenEndpoint.GrantsAnything(granted))
        {
            LogNothingGrantable(logger, user.Name, request.ClientId ?? "", string.Join(' ', request.GetScopes()));
            return SignInPage.Result(request, SignInPage.Form(request, clientName, userName,
                $"Your roles ({string.Join(", ", user.Roles)}) allow none of what {clientName} needs. Ask for the reader role."), StatusCodes.Status403Forbidden);
        }

        var principal = await TokenPrincipal.CreateAsync([], user.Name, request.ClientId!, granted, scopes, context.RequestAborted);
        LogSignedIn(logger, user.Name, request.ClientId!, string.Join(' ', granted));
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static OpenIddictRequest Request(HttpContext context) => context.GetOpenIddictServerRequest()
        ?? throw new InvalidOperationException("The authorization endpoint was reached without an OpenIddict request.");

    private static async Task<string> ClientNameAsync(OpenIddictRequest request, IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        var clientId = request.ClientId ?? "";
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        return application is null ? clientId : await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId;
    }

    [LoggerMessage(LogLevel.Information, "User {User} signed in to client {ClientId}, granting {Scopes}")]
    private static partial void LogSignedIn(ILogger logger, string user, string clientId, string scopes);

    [LoggerMessage(LogLevel.Warning, "Wrong user name or password for {User} signing in to client {ClientId}")]
    private static partial void LogWrongPassword(ILogger logger, string user, string clientId);

    [LoggerMessage(LogLevel.Warning, "User {User} cannot sign in to client {ClientId}: their roles allow none of {Scopes}")]
    private static partial void LogNothingGrantable(ILogger logger, string user, string clientId, string scopes);
}
