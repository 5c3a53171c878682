using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.ServiceDefaults.Security;

/// <summary>
/// The first calls after a provider starts signing with a new key. JwtBearer then asks for the keys to be
/// read again, in the background, and fails the calls that noticed. Here the call that starts such a read
/// waits for it (up to <see cref="Wait"/>), as do calls arriving while it runs, and each is validated once
/// more against the keys read. A read is started at most once per Auth:KeyRefreshMinimumInterval, as
/// JwtBearer's own; a token naming an unknown key in between fails at once, so forged key ids cannot hold
/// requests open.
/// </summary>
internal sealed class KeyRotation(RoleScopes roleScopes, TimeSpan minimumInterval, TimeProvider clock)
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    private readonly Lock _lock = new();
    private Task<OpenIdConnectConfiguration?>? _read;
    private DateTimeOffset _lastReadStarted = DateTimeOffset.MinValue;

    public async Task RetryWithNewKeysAsync(AuthenticationFailedContext context)
    {
        if (context.Exception is not SecurityTokenSignatureKeyNotFoundException || context.Options.ConfigurationManager is not { } keys) return;
        if (TokenOf(context) is not { } token || KeyIdOf(token) is not { } kid) return;
        try
        {
            if (await NewKeysAsync(keys, kid).WaitAsync(context.HttpContext.RequestAborted) is not { } configuration) return;
            if (!configuration.SigningKeys.Any(k => k.KeyId == kid)) return;

            var parameters = context.Options.TokenValidationParameters.Clone();
            parameters.ConfigurationManager = null;
            parameters.ValidIssuer = configuration.Issuer;
            parameters.IssuerSigningKeys = configuration.SigningKeys;
            // The handler JwtBearer itself validates with, so claim mapping is the same on both paths.
            var handler = context.Options.TokenHandlers.OfType<JsonWebTokenHandler>().First();
            var result = await handler.ValidateTokenAsync(token, parameters);
            if (!result.IsValid) return;
            var principal = new ClaimsPrincipal(result.ClaimsIdentity);
            TokenValidation.AddRoleScopes(principal, roleScopes);
            context.Principal = principal;
            context.Success();
        }
        catch (OperationCanceledException)
        {
            // The caller went away while the keys were read: the call fails as it would have.
        }
    }

    /// <summary>The read this call may wait for: one in progress, else a new one if the interval allows, else none.</summary>
    private Task<OpenIdConnectConfiguration?> NewKeysAsync(IConfigurationManager<OpenIdConnectConfiguration> keys, string kid)
    {
        lock (_lock)
        {
            if (_read is { IsCompleted: false } running) return running;
            var now = clock.GetUtcNow();
            if (now - _lastReadStarted < minimumInterval) return Task.FromResult<OpenIdConnectConfiguration?>(null);
            _lastReadStarted = now;
            return _read = ReadAsync(keys, kid);
        }
    }

    /// <summary>Polls the keys JwtBearer is reading in the background until they hold <paramref name="kid"/> or change, or the wait is over.</summary>
    private async Task<OpenIdConnectConfiguration?> ReadAsync(IConfigurationManager<OpenIdConnectConfiguration> keys, string kid)
    {
        var first = await keys.GetConfigurationAsync(CancellationToken.None);
        var deadline = clock.GetUtcNow() + Wait;
        var current = first;
        while (!current.SigningKeys.Any(k => k.KeyId == kid) && ReferenceEquals(current, first))
        {
            if (clock.GetUtcNow() >= deadline) return null;
            await Task.Delay(Poll, clock);
            current = await keys.GetConfigurationAsync(CancellationToken.None);
        }
        return current;
    }

    private static string? TokenOf(AuthenticationFailedContext context)
    {
        string authorization = context.Request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    private static string? KeyIdOf(string token)
    {
        try
        {
            return new JsonWebToken(token).Kid is { Length: > 0 } kid ? kid : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
