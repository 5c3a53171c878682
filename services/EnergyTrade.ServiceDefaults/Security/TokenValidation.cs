using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.ServiceDefaults.Security;

/// <summary>
/// How a bearer token is checked: against the identity provider's discovery document and keys, or, in
/// local development, against one shared HS256 key. Either way the audience, lifetime and algorithm are
/// required, and scopes a token's roles grant are added to it as "scope" claims.
/// </summary>
internal static class TokenValidation
{
    public static void AddTokenValidation(this IServiceCollection services, AuthOptions auth)
    {
        var roleScopes = RoleScopes.From(auth);
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            // Keep "scope", "sub" and "azp" as they are in the token rather than mapping them to long URIs.
            o.MapInboundClaims = false;
            var parameters = o.TokenValidationParameters;
            parameters.ValidAudience = auth.Audience;
            parameters.ValidateLifetime = true;
            parameters.RequireExpirationTime = true;
            parameters.RequireSignedTokens = true;
            parameters.ClockSkew = TimeSpan.FromSeconds(30);
            if (auth.UsesAuthority)
            {
                // The issuer and keys come from discovery; a token with an unknown "kid" makes the
                // handler read the keys again (at most once per minimum interval), so a rotation needs no restart.
                o.Authority = auth.Authority;
                o.RequireHttpsMetadata = auth.RequireHttpsMetadata;
                o.AutomaticRefreshInterval = auth.KeyRefreshInterval;
                o.RefreshInterval = auth.KeyRefreshMinimumInterval;
                o.RefreshOnIssuerKeyNotFound = true;
                parameters.ValidAlgorithms = auth.Algorithms;
            }
            else
            {
                parameters.ValidIssuer = auth.Issuer ?? AuthOptions.DefaultSharedKeyIssuer;
                parameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey!));
                parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }
        });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IServiceProvider>((o, provider) =>
        {
            var rotation = new KeyRotation(roleScopes, auth.KeyRefreshMinimumInterval, provider.GetService<TimeProvider>() ?? TimeProvider.System);
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (context.Principal is { } principal) AddRoleScopes(principal, roleScopes);
                    return Task.CompletedTask;
                },
                OnAuthenticationFailed = context => auth.UsesAuthority ? rotation.RetryWithNewKeysAsync(context) : Task.CompletedTask,
            };
        });
        // By default a token that fails against the provider's current keys is tried against the keys of
        // the last hour ("last known good"), so a key the provider withdrew would stay trusted that long.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            if (o.ConfigurationManager is BaseConfigurationManager keys) keys.UseLastKnownGoodConfiguration = false;
        });
    }

    public static void AddRoleScopes(ClaimsPrincipal principal, RoleScopes roleScopes)
    {
        if (roleScopes.IsEmpty || principal.Identity is not ClaimsIdentity identity) return;
        var granted = string.Join(' ', roleScopes.ScopesOf(principal));
        if (granted.Length > 0) identity.AddClaim(new Claim("scope", granted));
    }
}
