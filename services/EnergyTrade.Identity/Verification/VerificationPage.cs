using System.Text;
using System.Text.Encodings.Web;
using EnergyTrade.Contracts.Security;
using OidcScopes = OpenIddict.Abstractions.OpenIddictConstants.Scopes;

namespace EnergyTrade.Identity.Verification;

/// <summary>
/// The verification page: plain HTML and one form, so it works from the keyboard, in a screen reader or in a
/// text browser on the machine where the CLI runs. Every field is labelled, and a problem is announced
/// (role="alert") and tied to the field it concerns.
/// </summary>
public static class VerificationPage
{
    public const string UserCodeField = "user_code";
    public const string UserNameField = "username";
    public const string PasswordField = "password";
    public const string DecisionField = "decision";
    public const string Approve = "approve";
    public const string Deny = "deny";

    private static readonly Dictionary<string, string> ScopeDescriptions = new(StringComparer.Ordinal)
    {
        [Scopes.ShipmentsRead] = "read shipments and their history",
        [Scopes.ShipmentsWrite] = "record, correct and cancel shipments",
        [Scopes.TradeRead] = "read trade totals, series and partners",
        [Scopes.ShipmentsAdmin] = "republish every shipment",
        [Scopes.TradeAdmin] = "operate Trade's pipeline (dismiss refused events)",
        [OidcScopes.OfflineAccess] = "stay signed in until you sign out (a refresh token)",
    };

    /// <param name="problemField">The field <paramref name="problem"/> is about, which gets the focus; null for the whole request.</param>
    public static string Form(PendingSignIn? pending, string? userCode, string? userName, string? problem, string? problemField)
    {
        var html = new StringBuilder();
        html.Append("<p>Type the code your terminal shows, then sign in to approve the request. Deny needs no password.</p>");
        if (problem is not null)
        {
            html.Append($"""<p class="problem" id="problem" role="alert">{Encode(problem)}</p>""");
        }
        if (pending is not null)
        {
            html.Append($"""<p><strong>{Encode(pending.ClientName)}</strong> asks to act for you, to:</p><ul>""");
            foreach (var scope in pending.Scopes)
            {
                html.Append($"<li>{Encode(ScopeDescriptions.GetValueOrDefault(scope, scope))} <code>{Encode(scope)}</code></li>");
            }
            html.Append("</ul><p>You grant only what your roles allow.</p>");
            // RFC 8628 §5.4: a code someone else started and sent you is a way to take your access.
            html.Append("<p><strong>Approve only if you started this sign-in yourself, just now, on a terminal you use.</strong> " +
                "If someone sent you this code, deny.</p>");
        }
        var focus = problemField ?? (string.IsNullOrEmpty(userCode) ? UserCodeField : string.IsNullOrEmpty(userName) ? UserNameField : PasswordField);
        html.Append($"""<form method="post" action="{VerificationEndpoint.Path}">""");
        Field(html, UserCodeField, "Code", "text", pending?.UserCode ?? userCode, "off", focus, problemField,
            """ autocapitalize="characters" spellcheck="false" """);
        Field(html, UserNameField, "User name", "text", userName, "username", focus, problemField, """ autocapitalize="none" spellcheck="false" """);
        Field(html, PasswordField, "Password", "password", null, "current-password", focus, problemField, " ");
        html.Append($"""
            <p><button type="submit" name="{DecisionField}" value="{Approve}">Approve</button>
            <button type="submit" name="{DecisionField}" value="{Deny}" formnovalidate>Deny</button></p></form>
            """);
        return Document("Sign in a device", html.ToString());
    }

    public static string Outcome(bool approved) => Document(
        approved ? "Request approved" : "Request denied",
        approved
            ? "<p>The program that showed you the code is signed in now. You can close this page and go back to it.</p>"
            : "<p>The program that showed you the code gets no access. You can close this page.</p>");

    internal static void Field(StringBuilder html, string name, string label, string type, string? value, string autocomplete,
        string focus, string? problemField, string extra)
    {
        var described = problemField == name ? """ aria-describedby="problem" aria-invalid="true" """ : " ";
        var autofocus = focus == name ? " autofocus" : "";
        var valueAttribute = value is null ? "" : $""" value="{Encode(value)}" """;
        html.Append($"""
            <p><label for="{name}">{label}</label><br>
            <input id="{name}" name="{name}" type="{type}" autocomplete="{autocomplete}" required{extra}{described}{valueAttribute}{autofocus}></p>
            """);
    }

    internal static string Document(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Encode(title)}} · EnergyTrade</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
        input { font-size: 1.1rem; padding: .3rem; width: 100%; box-sizing: border-box; }
        button { font-size: 1.1rem; padding: .4rem 1.2rem; margin-right: .5rem; }
        :focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
        .problem { color: #a51d2d; font-weight: bold; }
        </style>
        </head>
        <body>
        <main>
        <h1>{{Encode(title)}}</h1>
        {{body}}
        </main>
        </body>
        </html>
        """;

    internal static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    /// <summary>Never cached, never framed by another site (which could overlay it to trick a click).</summary>
    /// <param name="formTargets">Where the page's form may lead besides this provider: Chrome holds the redirect
    /// after a post to form-action too.</param>
    internal static IResult Html(string html, int statusCode, string? formTargets = null) => new HtmlPage(html, statusCode, formTargets);

    private sealed class HtmlPage(string html, int statusCode, string? formTargets) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-store";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'{(formTargets is null ? "" : " " + formTargets)}; frame-ancestors 'none'";
            return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode).ExecuteAsync(context);
        }
    }
}
