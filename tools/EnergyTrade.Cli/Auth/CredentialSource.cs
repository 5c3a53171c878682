namespace EnergyTrade.Cli.Auth;

/// <summary>Where the token a command sends comes from, in the order the CLI looks for one.</summary>
public enum CredentialSource
{
    /// <summary>No token: the call goes out without one (a service started with Auth:AllowAnonymous).</summary>
    None,
    /// <summary>$ENERGYTRADE_TOKEN, sent as it is.</summary>
    EnvironmentToken,
    /// <summary>Fetched from the identity provider with $ENERGYTRADE_CLIENT_ID and $ENERGYTRADE_CLIENT_SECRET (scripts).</summary>
    ClientCredentials,
    /// <summary>The profile's cached `energytrade login`, renewed with its refresh token.</summary>
    Login,
    /// <summary>Minted with $ENERGYTRADE_SIGNING_KEY: the local-development mode of services that share that key.</summary>
    DevelopmentKey,
}

public static class CredentialSources
{
    /// <summary>The name scripts read in whoami's JSON.</summary>
    public static string Code(this CredentialSource source) => source switch
    {
        CredentialSource.EnvironmentToken => "environment_token",
        CredentialSource.ClientCredentials => "client_credentials",
        CredentialSource.Login => "login",
        CredentialSource.DevelopmentKey => "development_key",
        _ => "none",
    };

    public static string Describe(this CredentialSource source) => source switch
    {
        CredentialSource.EnvironmentToken => $"the token in {TokenSource.TokenVariable}",
        CredentialSource.ClientCredentials => $"client credentials from {Profiles.ConfigKey.ClientId.Variable} and {TokenSource.ClientSecretVariable}",
        CredentialSource.Login => "the cached sign-in of energytrade login",
        CredentialSource.DevelopmentKey => $"the local-development key {TokenSource.SigningKeyVariable}",
        _ => "none",
    };
}
