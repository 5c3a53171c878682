using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EnergyTrade.Identity.Tokens;

/// <summary>
/// The identity OpenIddict turns into tokens. OpenIddict itself adds "iss", "aud" (the granted scopes'
/// resources), "client_id", "scope" (one space-separated string), "exp", "iat" and "jti"; this adds
/// "sub", and "azp", which the services read before "client_id", so a token names its client either way.
/// </summary>
public static class TokenPrincipal
{
    /// <param name="inherited">The claims of the device code or refresh token being redeemed, whose private
    /// claims tie the new tokens to the same authorization; none for client credentials.</param>
    public static async Task<ClaimsPrincipal> CreateAsync(IEnumerable<Claim> inherited, string subject, string clientId,
        IEnumerable<string> scopes, IOpenIddictScopeManager scopeManager, CancellationToken cancellationToken)
    {
        var identity = new ClaimsIdentity(inherited, TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject)
            .SetClaim(Claims.Name, subject)
            .SetClaim(Claims.AuthorizedParty, clientId);
        identity.SetScopes(scopes);
        identity.SetResources(await scopeManager.ListResourcesAsync(identity.GetScopes(), cancellationToken).ToListAsync(cancellationToken));
        // Claims reach a token only with a destination: everything here is for the access token, none is secret;
        // who signed in is for the identity token too, when the client asked for one (openid).
        var identityToken = identity.HasScope(Scopes.OpenId);
        identity.SetDestinations(claim => identityToken && claim.Type is Claims.Subject or Claims.Name
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }
}
