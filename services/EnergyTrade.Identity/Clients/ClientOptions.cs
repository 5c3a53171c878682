using EnergyTrade.Contracts.Security;

namespace EnergyTrade.Identity.Clients;

/// <summary>One client's registration, under Identity:Clients:{client id}.</summary>
public sealed class ClientOptions
{
    public const string Confidential = "confidential";
    public const string Public = "public";

    public const string ClientCredentialsGrant = "client_credentials";
    public const string DeviceCodeGrant = "device_code";
    public const string RefreshTokenGrant = "refresh_token";
    public const string AuthorizationCodeGrant = "authorization_code";

    public string? DisplayName { get; set; }

    /// <summary>
    /// "confidential": a service that keeps <see cref="Secret"/>; "public": a program people run (the CLI),
    /// which can keep no secret and so signs in through a person.
    /// </summary>
    public string Type { get; set; } = Confidential;

    /// <summary>
    /// A confidential client's secret. Never in appsettings.json: set it as a secret, e.g. the environment
    /// variable Identity__Clients__{client id}__Secret.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Space-separated: client_credentials (confidential clients), device_code and refresh_token (public ones),
    /// authorization_code (a web application signing people in, with PKCE, to one of <see cref="RedirectUris"/>).
    /// </summary>
    public string Grants { get; set; } = "";

    /// <summary>Space-separated absolute URIs the authorization_code grant may return to, exactly as the client sends them.</summary>
    public string RedirectUris { get; set; } = "";

    /// <summary>Space-separated scopes the client may ask for; a person signing in through it gets only those their roles allow.</summary>
    public string Scopes { get; set; } = "";

    public bool IsPublic => string.Equals(Type, Public, StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<string> GrantList => Split(Grants);

    public IReadOnlyList<string> ScopeList => Split(Scopes);

    public IReadOnlyList<string> RedirectUriList => Split(RedirectUris);

    public IEnumerable<string> Problems(string path)
    {
        var isConfidential = string.Equals(Type, Confidential, StringComparison.OrdinalIgnoreCase);
        if (!isConfidential && !IsPublic)
        {
            yield return $"{path}:Type '{Type}' is neither '{Confidential}' nor '{Public}'.";
        }
        if (isConfidential && string.IsNullOrEmpty(Secret))
        {
            yield return $"{path}:Secret is not set: a confidential client needs its secret " +
                $"(environment variable {path.Replace(":", "__", StringComparison.Ordinal)}__Secret).";
        }
        if (IsPublic && !string.IsNullOrEmpty(Secret))
        {
            yield return $"{path}:Secret is set, but a public client cannot keep a secret: remove it, or make the client '{Confidential}'.";
        }
        if (GrantList.Count == 0)
        {
            yield return $"{path}:Grants is empty: name {ClientCredentialsGrant}, or {DeviceCodeGrant} and {RefreshTokenGrant}.";
        }
        foreach (var grant in GrantList)
        {
            if (grant is not (ClientCredentialsGrant or DeviceCodeGrant or RefreshTokenGrant or AuthorizationCodeGrant))
            {
                yield return $"{path}:Grants names '{grant}'; this provider serves {ClientCredentialsGrant}, {DeviceCodeGrant}, {RefreshTokenGrant} and {AuthorizationCodeGrant}.";
            }
            else if (grant == AuthorizationCodeGrant && RedirectUriList.Count == 0)
            {
                yield return $"{path}:Grants names {AuthorizationCodeGrant}, which needs RedirectUris: the addresses sign-ins may return to, e.g. http://localhost:5400/signin-oidc.";
            }
            else if (grant == ClientCredentialsGrant && IsPublic)
            {
                yield return $"{path}:Grants names {ClientCredentialsGrant}, which needs a secret a public client cannot keep.";
            }
        }
        if (ScopeList.Count == 0)
        {
            yield return $"{path}:Scopes is empty: name some of {string.Join(' ', Contracts.Security.Scopes.All)}.";
        }
        foreach (var uri in RedirectUriList.Where(u => !Uri.TryCreate(u, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            yield return $"{path}:RedirectUris names '{uri}', which is not an absolute http or https address.";
        }
        foreach (var scope in ScopeList.Where(s => !Contracts.Security.Scopes.All.Contains(s)))
        {
            yield return $"{path}:Scopes names '{scope}', which is none of {string.Join(' ', Contracts.Security.Scopes.All)}.";
        }
    }

    private static string[] Split(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
