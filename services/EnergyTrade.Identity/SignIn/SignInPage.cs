using System.Text;
using EnergyTrade.Identity.Verification;
using OpenIddict.Abstractions;

namespace EnergyTrade.Identity.SignIn;

/// <summary>
/// The sign-in page of the authorization code flow, in the verification page's plain, labelled HTML. The
/// form posts the authorization request's own parameters back with the user name and password, so the
/// request OpenIddict validates on the post is the one it validated on the way in.
/// </summary>
public static class SignInPage
{
    public const string UserNameField = "username";
    public const string PasswordField = "password";

    public static string Form(OpenIddictRequest request, string clientName, string? userName, string? problem)
    {
        var html = new StringBuilder();
        html.Append($"<p>Sign in to use <strong>{VerificationPage.Encode(clientName)}</strong>.</p>");
        if (problem is not null)
        {
            html.Append($"""<p class="problem" id="problem" role="alert">{VerificationPage.Encode(problem)}</p>""");
        }
        html.Append($"""<form method="post" action="{AuthorizationEndpoint.Path}">""");
        foreach (var (name, value) in request.GetParameters())
        {
            if (name is UserNameField or PasswordField) continue;
            html.Append($"""<input type="hidden" name="{VerificationPage.Encode(name)}" value="{VerificationPage.Encode(value.ToString() ?? "")}">""");
        }
        var problemField = problem is null ? null : PasswordField;
        var focus = string.IsNullOrEmpty(userName) ? UserNameField : PasswordField;
        VerificationPage.Field(html, UserNameField, "User name", "text", userName, "username", focus, problemField, """ autocapitalize="none" spellcheck="false" """);
        VerificationPage.Field(html, PasswordField, "Password", "password", null, "current-password", focus, problemField, " ");
        html.Append("""<p><button type="submit">Sign in</button></p></form>""");
        return VerificationPage.Document("Sign in", html.ToString());
    }

    /// <summary>The page, whose form may lead on to the client's redirect address (OpenIddict checked it is one of the client's).</summary>
    public static IResult Result(OpenIddictRequest request, string html, int statusCode = StatusCodes.Status200OK) =>
        VerificationPage.Html(html, statusCode,
            Uri.TryCreate(request.RedirectUri, UriKind.Absolute, out var redirect) ? redirect.GetLeftPart(UriPartial.Authority) : null);
}
