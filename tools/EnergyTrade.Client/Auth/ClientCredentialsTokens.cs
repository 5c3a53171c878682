using Duende.IdentityModel.Client;
using Grpc.Core;

namespace EnergyTrade.Client.Auth;

/// <summary>
/// Access tokens for a program calling the services as itself (OAuth 2.0 client credentials), from the
/// identity provider at <paramref name="authority"/>, kept and renewed once half their life has passed,
/// so a long run never sends an expired one. While the provider cannot renew, the token in hand is used
/// until it is about to expire. The provider's discovery document names its token endpoint.
/// </summary>
public sealed class ClientCredentialsTokens(HttpClient http, Uri authority, string clientId, string clientSecret,
    string? scope = null, TimeProvider? clock = null)
{
    private static readonly TimeSpan LeastLifeLeft = TimeSpan.FromSeconds(60);
    /// <summary>For a provider that leaves out "expires_in" (RFC 6749 only recommends it).</summary>
    private static readonly TimeSpan AssumedLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan UsableUntilBeforeExpiry = TimeSpan.FromSeconds(10);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private volatile Issued? _issued;
    private string? _tokenEndpoint;

    public Uri Authority => authority;
    public string ClientId => clientId;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_issued is { } issued && _clock.GetUtcNow() < issued.RenewAt) return issued.Token;
        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (_issued is { } fresh && _clock.GetUtcNow() < fresh.RenewAt) return fresh.Token;
            try
            {
                return await RequestAsync(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (_issued is { } held && _clock.GetUtcNow() < held.ExpiresAt - UsableUntilBeforeExpiry) return held.Token;
                throw;
            }
        }
        finally
        {
            _renewing.Release();
        }
    }

    /// <summary>Forgets the token in hand, e.g. after a service refused it (a provider that lost its keys).</summary>
    public void Invalidate() => _issued = null;

    private async Task<string> RequestAsync(CancellationToken cancellationToken)
    {
        var response = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = _tokenEndpoint ??= await TokenEndpointAsync(cancellationToken),
            ClientId = clientId,
            ClientSecret = clientSecret,
            Scope = scope,
        }, cancellationToken);
        if (response.IsError || response.AccessToken is not { Length: > 0 } token)
        {
            throw new InvalidOperationException(response.ErrorType == ResponseErrorType.Protocol
                ? $"The identity provider {authority} gave client '{clientId}' no token: {response.Error} {response.ErrorDescription}".TrimEnd() +
                    ". Check the client id and secret, and that the client may use the client-credentials grant."
                : $"Could not get a token from the identity provider {authority}: {response.Error}. Check that it is running and reachable.");
        }
        var now = _clock.GetUtcNow();
        var lifetime = response.ExpiresIn > 0 ? TimeSpan.FromSeconds(response.ExpiresIn) : AssumedLifetime;
        // Half-way, but with at least a minute left; a token that lives less than two minutes, half-way.
        var renewAt = now + (lifetime > 2 * LeastLifeLeft ? lifetime - Max(LeastLifeLeft, lifetime / 2) : lifetime / 2);
        _issued = new Issued(token, renewAt, now + lifetime);
        return token;
    }

    /// <summary>Adds "authorization: Bearer …" with a current token to every call of a channel.</summary>
    public CallCredentials CallCredentials() => Grpc.Core.CallCredentials.FromInterceptor(async (context, metadata) =>
        metadata.Add("Authorization", $"Bearer {await GetAsync(context.CancellationToken)}"));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task<string> TokenEndpointAsync(CancellationToken cancellationToken)
    {
        var discovery = await http.GetDiscoveryDocumentAsync(ProviderDiscovery.Request(authority), cancellationToken);
        if (discovery.IsError || discovery.TokenEndpoint is not { Length: > 0 } endpoint)
        {
            throw new InvalidOperationException(
                $"Could not read the identity provider's discovery document at {authority}: {discovery.Error}. Check the authority URL and that the provider is running.");
        }
        return endpoint;
    }

    private sealed record Issued(string Token, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt);
}
