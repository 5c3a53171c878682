using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Profiles;
using EnergyTrade.Cli.Transport;

namespace EnergyTrade.Cli.Auth;

/// <summary>Where and as whom to sign in: the profile, the authority, the client, the scopes and the TLS files, each already resolved.</summary>
public sealed record SignInConfig(ConfigProfile Profile, Setting Authority, Setting ClientId, Setting Scope, TlsFiles Tls)
{
    public static string MissingAuthority(string profile) =>
        "No identity provider is configured: give --authority URL, set ENERGYTRADE_AUTHORITY, or keep it in the profile with " +
        $"energytrade config set authority URL{(profile == ProfileName.Default ? "" : $" --profile {profile}")}. scripts/up.sh prints the " +
        "development provider's URL; with docker compose it is http://localhost:8180/realms/energytrade.";

    public static SignInConfig Resolve(ConfigProfile profile, TlsFiles tls, string? authority = null, string? clientId = null, string? scope = null) =>
        new(profile, profile.Resolve(ConfigKey.Authority, authority), profile.Resolve(ConfigKey.ClientId, clientId), profile.Resolve(ConfigKey.Scope, scope), tls);

    /// <summary>The configured authority, or null; a value that is not a URL is a usage error naming where it came from.</summary>
    public Uri? AuthorityUrl => Authority.Value is null ? null : ConfigProfile.Url(Authority);

    public Uri RequireAuthority() => AuthorityUrl ?? throw new UsageException(MissingAuthority(Profile.Name));
}
