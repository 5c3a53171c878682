using EnergyTrade.Contracts.Security;
using EnergyTrade.Identity.Data;
using EnergyTrade.Identity.Keys;
using EnergyTrade.Identity.Tokens;
using EnergyTrade.Identity.SignIn;
using EnergyTrade.Identity.Verification;

namespace EnergyTrade.Identity;

public static class ProviderSetup
{
    public const string DeviceAuthorizationPath = "/connect/device";
    public const string RevocationPath = "/connect/revoke";

    /// <summary>
    /// OpenIddict's server, configured rather than programmed: it serves discovery (/.well-known/openid-configuration),
    /// the JWKS (/.well-known/jwks), device authorization and revocation itself, authenticates clients and validates
    /// grants, and hands the token, authorization and verification endpoints to <see cref="TokenEndpoint"/>,
    /// <see cref="AuthorizationEndpoint"/> and <see cref="VerificationEndpoint"/> only for the decisions that are this provider's own.
    /// </summary>
    public static IServiceCollection AddIdentityProvider(this IServiceCollection services, IdentityOptions options, KeyRing keys)
    {
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
            .AddServer(server =>
            {
                if (options.Issuer is not null) server.SetIssuer(options.Issuer);
                server.SetTokenEndpointUris(TokenEndpoint.Path)
                    .SetAuthorizationEndpointUris(AuthorizationEndpoint.Path)
                    .SetDeviceAuthorizationEndpointUris(DeviceAuthorizationPath)
                    .SetEndUserVerificationEndpointUris(VerificationEndpoint.Path)
                    .SetRevocationEndpointUris(RevocationPath);

                server.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .AllowDeviceAuthorizationFlow()
                    .AllowRefreshTokenFlow();
                server.RegisterScopes([.. Scopes.All]);
                // S256 only, as Keycloak is set up: "plain" would hand the verifier to whoever sees the redirect.
                server.Configure(o => o.CodeChallengeMethods.Remove(OpenIddict.Abstractions.OpenIddictConstants.CodeChallengeMethods.Plain));

                // The services validate access tokens themselves, against the JWKS: signed, not encrypted.
                server.DisableAccessTokenEncryption();
                server.SetAccessTokenLifetime(options.AccessTokenLifetime)
                    .SetRefreshTokenLifetime(options.RefreshTokenLifetime);

                // OpenIddict signs with the first key registered and publishes them all (its order among keys
                // that are not certificates is the order they were added in): the newest goes first.
                foreach (var key in keys.SigningKeys) server.AddSigningKey(key.Key);
                foreach (var key in keys.EncryptionKeys) server.AddEncryptionKey(key.Key);

                var host = server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough();
                if (options.AllowHttp) host.DisableTransportSecurityRequirement();
            });
        return services;
    }
}
