using Duende.IdentityModel;
using Duende.IdentityModel.Client;

namespace EnergyTrade.Client.Auth;

/// <summary>How EnergyTrade's clients read an identity provider's discovery document, stated once.</summary>
public static class ProviderDiscovery
{
    /// <summary>
    /// https, except for a provider on this machine (a development one), whose host then counts as loopback
    /// (Duende knows only localhost and 127.0.0.1; ::1 and 127.0.0.2 are too). Endpoints may lie anywhere on
    /// the authority's host, not only under its path: Microsoft Entra ID's issuer is
    /// https://login.microsoftonline.com/TENANT/v2.0, its token endpoint …/TENANT/oauth2/v2.0/token. Entra ID
    /// serves userinfo from Microsoft Graph, another host, which no EnergyTrade client calls.
    /// </summary>
    public static DiscoveryDocumentRequest Request(Uri authority)
    {
        var request = new DiscoveryDocumentRequest { Address = authority.ToString() };
        request.Policy.RequireHttps = true;
        request.Policy.AllowHttpOnLoopback = true;
        if (authority.Scheme == Uri.UriSchemeHttp && Loopback.Is(authority)) request.Policy.LoopbackAddresses.Add(authority.DnsSafeHost);
        request.Policy.AdditionalEndpointBaseAddresses.Add(authority.GetLeftPart(UriPartial.Authority));
        request.Policy.EndpointValidationExcludeList.Add(OidcConstants.Discovery.UserInfoEndpoint);
        return request;
    }
}
