using EnergyTrade.Client.Auth;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Transport;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// The OpenID Connect provider at an authority, spoken to through Duende.IdentityModel: discovery (read once per
/// run), client credentials, the device authorization grant, refresh and revocation. Every failure becomes a
/// sentence that says what went wrong and what to check; one where nothing came back (no connection, no answer in
/// time) is marked <see cref="IdentityProviderException.Unreachable"/>.
/// </summary>
public sealed class IdentityProvider(Uri authority, HttpMessageInvoker http, TimeProvider clock) : IDisposable
{
    /// <summary>A public client (no secret) names itself in the form (RFC 6749 §2.3, §3.2.1), not in an Authorization header.</summary>
    private const ClientCredentialStyle PublicClient = ClientCredentialStyle.PostBody;
    private DiscoveryDocumentResponse? _discovery;

    public Uri Authority => authority;

    /// <summary>
    /// A provider reached over the network, trusting the CA file too, each request bounded by the environment's
    /// <see cref="CliEnvironment.IdentityTimeout"/>; or through the environment's handler in tests.
    /// </summary>
    public static IdentityProvider Create(Uri authority, TlsFiles tls, CliEnvironment environment)
    {
        RequireSecure(authority);
        var handler = environment.IdentityHttp?.Invoke() ?? tls.Handler(presentCertificate: false, loadFiles: authority.Scheme == Uri.UriSchemeHttps);
        return new(authority, new HttpClient(handler) { Timeout = environment.IdentityTimeout }, environment.Clock);
    }

    /// <summary>
    /// https, or http to this machine only (a development provider): checked here, before anything is sent, because
    /// Duende reports an http authority elsewhere only as a failure to fetch, with no word of why.
    /// </summary>
    public static void RequireSecure(Uri authority)
    {
        if (Loopback.MayCarryTokens(authority)) return;
        throw new UsageException($"The identity provider at {authority} is not https://, which only a provider on this machine (localhost, " +
            "127.0.0.0/8, ::1) may be: secrets and tokens would cross the network in cleartext. Use its https:// address.");
    }

    /// <summary>The discovery document; http only on loopback (a development provider), https everywhere else.</summary>
    public async Task<DiscoveryDocumentResponse> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (_discovery is not null) return _discovery;
        RequireSecure(authority);
        var request = ProviderDiscovery.Request(authority);
        var discovery = await SendAsync(token => http.GetDiscoveryDocumentAsync(request, token), cancellationToken);
        if (!discovery.IsError) return _discovery = discovery;
        cancellationToken.ThrowIfCancellationRequested();
        var url = $"{authority.ToString().TrimEnd('/')}/.well-known/openid-configuration";
        throw discovery.ErrorType switch
        {
            ResponseErrorType.Exception => Unreachable(discovery),
            ResponseErrorType.PolicyViolation => new IdentityProviderException($"The identity provider's discovery document at {url} was refused: {discovery.Error}."),
            _ => new IdentityProviderException($"{url} did not answer with an OpenID Connect discovery document ({Reason(discovery)}). Is {authority} " +
                "the provider's issuer URL (for Keycloak, https://HOST/realms/REALM; for Entra ID, https://login.microsoftonline.com/TENANT-ID/v2.0)?"),
        };
    }

    public async Task<TokenGrant> ClientCredentialsAsync(string clientId, string secret, string? scope, CancellationToken cancellationToken)
    {
        var discovery = await DiscoverAsync(cancellationToken);
        var response = await SendAsync(token => http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = clientId,
            ClientSecret = secret,
            Scope = scope,
        }, token), cancellationToken);
        if (!response.IsError) return Grant(response);
        cancellationToken.ThrowIfCancellationRequested();
        if (response.ErrorType == ResponseErrorType.Exception) throw Unreachable(response);
        throw new IdentityProviderException(Error(response) == OidcConstants.TokenErrors.InvalidClient
            ? $"The identity provider at {authority} refused client {clientId}'s credentials ({Reason(response)}): check the client id and its secret."
            : $"The identity provider at {authority} gave client {clientId} no token: {Reason(response)}.");
    }

    public async Task<DeviceAuthorizationResponse> StartDeviceAuthorizationAsync(string clientId, string scope, CancellationToken cancellationToken)
    {
        var discovery = await DiscoverAsync(cancellationToken);
        if (discovery.DeviceAuthorizationEndpoint is not { Length: > 0 } endpoint)
        {
            throw new IdentityProviderException($"The identity provider at {authority} offers no device sign-in (its discovery document lists no " +
                "device_authorization_endpoint). Sign in with client credentials instead: energytrade login --client-credentials --client-id ID --client-secret-file FILE.");
        }
        var response = await SendAsync(token => http.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest
        {
            Address = endpoint,
            ClientId = clientId,
            ClientCredentialStyle = PublicClient,
            Scope = scope,
        }, token), cancellationToken);
        if (!response.IsError) return response;
        cancellationToken.ThrowIfCancellationRequested();
        if (response.ErrorType == ResponseErrorType.Exception) throw Unreachable(response);
        throw new IdentityProviderException($"The identity provider at {authority} would not start a sign-in for client {clientId}: {Reason(response)}.");
    }

    /// <summary>
    /// One poll of the token endpoint with the device code (RFC 8628 §3.4); the caller reads pending, slow_down and
    /// throttling. A poll that reaches nobody throws an <see cref="IdentityProviderException.Unreachable"/> exception.
    /// </summary>
    public async Task<TokenResponse> PollDeviceTokenAsync(string clientId, string deviceCode, CancellationToken cancellationToken)
    {
        var discovery = await DiscoverAsync(cancellationToken);
        var response = await SendAsync(token => http.RequestDeviceTokenAsync(new DeviceTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = clientId,
            ClientCredentialStyle = PublicClient,
            DeviceCode = deviceCode,
        }, token), cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return response.ErrorType == ResponseErrorType.Exception ? throw Unreachable(response) : response;
    }

    /// <summary>
    /// A new access token for a refresh token; a refresh token the provider no longer honours means signing in again.
    /// Once the discovery document is in hand, the request goes out without <paramref name="cancellationToken"/>: a
    /// provider that rotates refresh tokens spends the old one as it answers, so an answer abandoned halfway (Ctrl-C)
    /// would leave none that works. It is bounded by the request timeout instead; the caller saves the answer, then
    /// honours the cancellation.
    /// </summary>
    public async Task<TokenGrant> RefreshAsync(string clientId, string refreshToken, string loginCommand, CancellationToken cancellationToken)
    {
        var discovery = await DiscoverAsync(cancellationToken);
        var response = await SendAsync(token => http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = clientId,
            ClientCredentialStyle = PublicClient,
            RefreshToken = refreshToken,
        }, token), CancellationToken.None);
        if (!response.IsError) return Grant(response, keepRefreshToken: refreshToken);
        if (response.ErrorType == ResponseErrorType.Exception) throw Unreachable(response);
        if (Error(response) == OidcConstants.TokenErrors.InvalidGrant)
        {
            throw new NotSignedInException($"Your sign-in has expired ({Reason(response)}): run {loginCommand}.");
        }
        throw new IdentityProviderException($"Could not renew your sign-in at {authority}: {Reason(response)}.");
    }

    /// <summary>
    /// Revokes a refresh token where the provider has a revocation endpoint; null when done, else a sentence saying why not.
    /// Throws only for cancellation, or a request that got no answer in time.
    /// </summary>
    public async Task<string?> RevokeAsync(string clientId, string refreshToken, CancellationToken cancellationToken)
    {
        DiscoveryDocumentResponse discovery;
        try
        {
            discovery = await DiscoverAsync(cancellationToken);
        }
        catch (IdentityProviderException e)
        {
            return e.Message;
        }
        if (discovery.RevocationEndpoint is not { Length: > 0 } endpoint) return $"The identity provider at {authority} has no revocation endpoint.";
        var response = await SendAsync(token => http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = endpoint,
            ClientId = clientId,
            ClientCredentialStyle = PublicClient,
            Token = refreshToken,
            TokenTypeHint = OidcConstants.TokenTypes.RefreshToken,
        }, token), cancellationToken);
        return response.IsError ? $"The identity provider at {authority} did not revoke it: {Reason(response)}." : null;
    }

    public TokenGrant Grant(TokenResponse response, string? keepRefreshToken = null)
    {
        var accessToken = response.AccessToken ?? throw new IdentityProviderException($"The identity provider at {authority} answered without an access token.");
        var claims = TokenClaims.Read(accessToken);
        var now = clock.GetUtcNow();
        // expires_in is relative, so it holds whatever this machine's clock says; the token's own exp is the fallback.
        var expiresAt = response.ExpiresIn > 0 ? now.AddSeconds(response.ExpiresIn) : claims?.ExpiresAt ?? now.AddMinutes(5);
        var scopes = response.Scope is { Length: > 0 } scope ? TokenClaims.Split(scope) : claims?.Scopes ?? [];
        // A provider that does not rotate refresh tokens answers a refresh without one: the old one stays good.
        return new TokenGrant(accessToken, expiresAt, response.RefreshToken ?? keepRefreshToken, scopes, claims?.Subject, now);
    }

    /// <summary>The OAuth error code, also when it came with an HTTP error status (invalid_client is a 401).</summary>
    public static string? Error(ProtocolResponse response) => response.TryGet(OidcConstants.TokenResponse.Error) ?? response.Error;

    public static string Reason(ProtocolResponse response)
    {
        if (response.ErrorType == ResponseErrorType.Exception) return $"could not reach it{Cause(response.Exception)}";
        var error = Error(response);
        var description = response.TryGet(OidcConstants.TokenResponse.ErrorDescription);
        var status = response.HttpStatusCode == 0 ? "" : $"HTTP {(int)response.HttpStatusCode}";
        return (error, description) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => $"{error}: {description.TrimEnd('.')}",
            ({ Length: > 0 }, _) => error,
            _ => status.Length > 0 ? $"{status} {response.HttpErrorReason}".Trim() : "no reason given",
        };
    }

    /// <summary>
    /// Sends one request. Duende lets an <see cref="OperationCanceledException"/> through, which is also how a timeout
    /// surfaces (HttpClient.Timeout, the connection's ConnectTimeout): one that is not the caller's cancellation becomes
    /// an <see cref="IdentityProviderException"/> saying the provider did not answer, rather than "Cancelled." and exit code 130.
    /// </summary>
    private async Task<T> SendAsync<T>(Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        try
        {
            return await send(cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var waited = clock.GetElapsedTime(started);
            throw new IdentityProviderException($"The identity provider at {authority} did not answer within {Seconds(waited)}: is it running, and " +
                "reachable from here (no firewall or proxy in the way)? Check the authority: energytrade config get authority.", unreachable: true);
        }
    }

    private IdentityProviderException Unreachable(ProtocolResponse response) =>
        new($"Could not reach the identity provider at {authority}{Cause(response.Exception)}. Is it running (scripts/up.sh starts a development one)? " +
            "Check the authority: energytrade config get authority.", unreachable: true);

    private static string Seconds(TimeSpan span) =>
        span < TimeSpan.FromSeconds(1) ? $"{span.TotalSeconds:0.#} s" : $"{Math.Round(span.TotalSeconds):0} s";

    private static string Cause(Exception? exception) =>
        exception?.GetBaseException().Message is { Length: > 0 } cause ? $" ({cause.TrimEnd('.')})" : "";

    public void Dispose() => http.Dispose();
}
