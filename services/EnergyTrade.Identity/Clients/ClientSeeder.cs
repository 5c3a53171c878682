using TokenAudience = EnergyTrade.Contracts.Security.TokenAudience;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Scopes = EnergyTrade.Contracts.Security.Scopes;

namespace EnergyTrade.Identity.Clients;

/// <summary>
/// Makes the store hold what configuration says, on every start: the scopes, and exactly the clients of
/// Identity:Clients — new ones created, changed ones (a new secret, other scopes) updated, and ones no longer
/// configured deleted, so a client taken out of configuration stops getting tokens at the next restart.
/// </summary>
public sealed partial class ClientSeeder(
    IServiceScopeFactory scopes,
    IdentityOptions options,
    ClientSeeding state,
    TimeProvider time,
    ILogger<ClientSeeder> logger) : IHostedService
{
    /// <summary>Tokens and authorizations no longer usable are deleted once they are this old.</summary>
    private static readonly TimeSpan PruneAfter = TimeSpan.FromDays(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await RegisterScopesAsync(services.GetRequiredService<IOpenIddictScopeManager>(), cancellationToken);

        var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var (clientId, client) in options.Clients)
        {
            var descriptor = Describe(clientId, client);
            if (await applications.FindByClientIdAsync(clientId, cancellationToken) is { } existing)
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
                LogClientUpdated(clientId, string.Join(' ', client.ScopeList));
            }
            else
            {
                await applications.CreateAsync(descriptor, cancellationToken);
                LogClientCreated(clientId, string.Join(' ', client.ScopeList));
            }
        }
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            var clientId = await applications.GetClientIdAsync(application, cancellationToken);
            if (clientId is null || options.Clients.ContainsKey(clientId)) continue;
            await applications.DeleteAsync(application, cancellationToken);
            LogClientDeleted(clientId);
        }

        // Without a scheduler (OpenIddict's Quartz job), a start is when the spent rows go.
        var threshold = time.GetUtcNow() - PruneAfter;
        var tokens = await services.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, cancellationToken);
        var authorizations = await services.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, cancellationToken);
        LogPruned(tokens, authorizations);

        state.Complete();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Each scope names the audience its tokens are for, which OpenIddict puts in "aud".</summary>
    private static async Task RegisterScopesAsync(IOpenIddictScopeManager manager, CancellationToken cancellationToken)
    {
        foreach (var name in Scopes.All)
        {
            var descriptor = new OpenIddictScopeDescriptor { Name = name, Resources = { TokenAudience.Value } };
            if (await manager.FindByNameAsync(name, cancellationToken) is { } existing) await manager.UpdateAsync(existing, descriptor, cancellationToken);
            else await manager.CreateAsync(descriptor, cancellationToken);
        }
    }

    private static OpenIddictApplicationDescriptor Describe(string clientId, ClientOptions client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            DisplayName = client.DisplayName ?? clientId,
            ClientType = client.IsPublic ? ClientTypes.Public : ClientTypes.Confidential,
            ClientSecret = client.IsPublic ? null : client.Secret,
            Permissions = { Permissions.Endpoints.Token, Permissions.Endpoints.Revocation },
        };
        foreach (var grant in client.GrantList)
        {
            switch (grant)
            {
                case ClientOptions.ClientCredentialsGrant:
                    descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
                    break;
                case ClientOptions.DeviceCodeGrant:
                    descriptor.Permissions.Add(Permissions.Endpoints.DeviceAuthorization);
                    descriptor.Permissions.Add(Permissions.GrantTypes.DeviceCode);
                    break;
                case ClientOptions.RefreshTokenGrant:
                    descriptor.Permissions.Add(Permissions.GrantTypes.RefreshToken);
                    break;
                case ClientOptions.AuthorizationCodeGrant:
                    descriptor.Permissions.Add(Permissions.Endpoints.Authorization);
                    descriptor.Permissions.Add(Permissions.GrantTypes.AuthorizationCode);
                    descriptor.Permissions.Add(Permissions.ResponseTypes.Code);
                    // A code is useless to whoever intercepts the redirect without the verifier only the client holds.
                    descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
                    foreach (var uri in client.RedirectUriList) descriptor.RedirectUris.Add(new Uri(uri));
                    break;
            }
        }
        foreach (var scope in client.ScopeList) descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        return descriptor;
    }

    [LoggerMessage(LogLevel.Information, "Registered client {ClientId} (scopes {Scopes})")]
    private partial void LogClientCreated(string clientId, string scopes);

    [LoggerMessage(LogLevel.Information, "Updated client {ClientId} from configuration (scopes {Scopes})")]
    private partial void LogClientUpdated(string clientId, string scopes);

    [LoggerMessage(LogLevel.Warning, "Deleted client {ClientId}: it is no longer in Identity:Clients, so it gets no more tokens")]
    private partial void LogClientDeleted(string clientId);

    [LoggerMessage(LogLevel.Information, "Pruned {Tokens} spent tokens and {Authorizations} authorizations")]
    private partial void LogPruned(long tokens, long authorizations);
}
