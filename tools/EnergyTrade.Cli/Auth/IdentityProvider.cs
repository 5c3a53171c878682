using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Transport;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// The OpenID Connect provider at an authority, spoken to through Duende.IdentityModel: discovery (read once per
/// run), client credentials, the device authorization grant, refresh and revocation. Every failure becomes a
/// sentence that says what went wrong and what to check.
/// </summary>
public sealed class IdentityProvider(Uri authority, HttpMessageInvoker http, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    /// <summary>A public client (no secret) names itself in the form (RFC 6749 §2.3, §3.2.1), not in an Authorization header.</summary>
    private const ClientCredentialStyle PublicClient = ClientCredentialStyle.PostBody;
    private DiscoveryDocumentResponse? _discovery;

    public Uri Authority => authority;

    /// <summary>A provider reached over the network, trusting the CA file too; or through the environment's handler in tests.</summary>
    public static IdentityProvider Create(Uri authority, TlsFiles tls, CliEnvironment environment) =>
        new(authority, new HttpClient(environment.IdentityHttp?.Invoke() ?? tls.Handler(presentCertificate: false, loadFiles: authority.Scheme == Uri.UriSchemeHttps)) { Timeout = RequestTimeout },
            environment.Clock);

    /// <summary>The discovery document; http only on loopback (a development provider), https everywhere else.</summary>
    public async Task<DiscoveryDocumentResponse> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (_discovery is not null) return _discovery;
        var request = new DiscoveryDocumentRequest { Address = authority.ToString() };
        request.Policy.RequireHttps = true;
        request.Policy.AllowHttpOnLoopback = true;
        request.Policy.LoopbackAddresses.Add("[::1]");
        var discovery = await http.GetDiscoveryDocumentAsync(request, cancellationToken);
        if (!discovery.IsError) return _discovery = discovery;
        cancellationToken.ThrowIfCancellationRequested();
        var url = $"{authority.ToString().TrimEnd('/')}/.well-known/openid-configuration";
        throw new IdentityProviderException(discovery.ErrorType switch
        {
            ResponseErrorType.Exception =>
                $"Could not reach the identity provider at {authority}{Cause(discovery.Exception)}. Is it running (scripts/up.sh starts a development one)? " +
                "Check the authority: energytrade config get authority.",
            ResponseErrorType.PolicyViolation when authority.Scheme == Uri.UriSchemeHttp =>
                $"The identity provider at {authority} is not https://, which only a provider on this machine (localhost, 127.0.0.1) may be: " +
                $"use its https:// address. ({discovery.Error})",
            ResponseErrorType.PolicyViolation => $"The identity provider's discovery document at {url} was refused: {discovery.Error}",
            _ => $"{url} did not answer with an OpenID Connect discovery document ({Reason(discovery)}). Is {authority} the provider's issuer URL " +
                "(for Keycloak, https://HOST/realms/REALM)?",
        });
    }

    public async Task<TokenGrant> ClientCredentialsAsync(string clientId, string secret, string? scope, CancellationToken cancellationToken)
    {
        var discovery = await DiscoverAsync(cancellationToken);
        var response = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = clientId,
            ClientSecret = secret,
            Scope = scope,
        }, cancellationToken);
        if (!response.IsError) return Grant(response);
        cancellationToken.ThrowIfCancellationRequested();
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
        var response = await http.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest
        {
            Address = endpoint,
            ClientId = clientId,
            ClientCredentialStyle = PublicClient,
            Scope = scope,
        },
            cancellationToken);
        if (!response.IsError) return response;
        cancellationToken.ThrowIfCancellationRequested();
        throw new IdentityProviderException($"The identity provider at {authority} would not start a sign-in for client {clientId}: {Reason(response)}.");
    }

    /// <summary>One poll of the token endpoint with the device code (RFC 8628 §3.4); the caller reads pending and slow_down.</summary>
    public async Task<TokenResponse> PollDeviceTokenAsync(string clientId, string deviceCode, CancellationToken cancellationToken)
    {
        var discovery = await DiscoverAsync(cancellationToken);
        return await http.RequestDeviceTokenAsync(new DeviceTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = clientId,
            ClientCredentialStyle = PublicClient,
            DeviceCode = deviceCode,
        },
            cancellationToken);
    }

    /// <summary>A new access token for a refresh token; a refresh token the provider no longer honours means signing in again.</summary>
    public async Task<TokenGrant> RefreshAsync(string clientId, string refreshToken, string loginCommand, CancellationToken cancellationToken)
    {
        var discovery = await DiscoverAsync(cancellationToken);
        var response = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = clientId,
            ClientCredentialStyle = PublicClient,
            RefreshToken = refreshToken,
        }, cancellationToken);
        if (!response.IsError) return Grant(response, keepRefreshToken: refreshToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (Error(response) == OidcConstants.TokenErrors.InvalidGrant)
        {
            throw new NotSignedInException($"Your sign-in has expired ({Reason(response)}): run {loginCommand}.");
        }
        throw new IdentityProviderException($"Could not renew your sign-in at {authority}: {Reason(response)}.");
    }

    /// <summary>Revokes a refresh token where the provider has a revocation endpoint; null when done, else why not.</summary>
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
        if (discovery.RevocationEndpoint is not { Length: > 0 } endpoint) return $"the identity provider at {authority} has no revocation endpoint";
        var response = await http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = endpoint,
            ClientId = clientId,
            ClientCredentialStyle = PublicClient,
            Token = refreshToken,
            TokenTypeHint = OidcConstants.TokenTypes.RefreshToken,
        }, cancellationToken);
        return response.IsError ? $"the identity provider at {authority} did not revoke it: {Reason(response)}" : null;
    }

    public TokenGrant Grant(TokenResponse response, string? keepRefreshToken = null)
    {
        var accessToken = response.AccessToken ?? throw new IdentityProviderException($"The identity provider at {authority} answered without an access token.");
        var claims = TokenClaims.Read(accessToken);
        // expires_in is relative, so it holds whatever this machine's clock says; the token's own exp is the fallback.
        var expiresAt = response.ExpiresIn > 0 ? clock.GetUtcNow().AddSeconds(response.ExpiresIn)
            : claims?.ExpiresAt ?? clock.GetUtcNow().AddMinutes(5);
        var scopes = response.Scope is { Length: > 0 } scope ? TokenClaims.Split(scope) : claims?.Scopes ?? [];
        // A provider that does not rotate refresh tokens answers a refresh without one: the old one stays good.
        return new TokenGrant(accessToken, expiresAt, response.RefreshToken ?? keepRefreshToken, scopes, claims?.Subject);
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

    private static string Cause(Exception? exception) =>
        exception?.GetBaseException().Message is { Length: > 0 } cause ? $" ({cause.TrimEnd('.')})" : "";

    public void Dispose() => http.Dispose();
}
