using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using EnergyTrade.Cli.Transport;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.SignIn;

/// <summary>
/// token: prints the access token the other commands would send, for grpcurl and other clients
/// (grpcurl -H "authorization: Bearer $(energytrade token)" …), from the same sources in the same order. Only when
/// none is configured does it mint one with the local-development key.
/// </summary>
public sealed class TokenCommand(CliEnvironment environment) : AsyncCommand<TokenSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TokenSettings settings, CancellationToken cancellationToken)
    {
        var profile = ConfigProfile.Load(settings.Profile, environment.Variables);
        using var tls = TlsFiles.Resolve(profile, settings.CaFile);
        using var tokens = new TokenSource(SignInConfig.Resolve(profile, tls, settings.Authority, settings.ClientId), environment);
        if (tokens.Source == CredentialSource.None)
        {
            throw new NotSignedInException(NotSignedIn.Message(profile) + $" In local-development mode (services sharing one key instead of " +
                $"an identity provider) it mints one with {TokenSource.SigningKeyVariable}: scripts/up.sh keeps the key as SIGNING_KEY in .run/up/secrets.env.");
        }
        var development = tokens.Source == CredentialSource.DevelopmentKey;
        if (!development && settings.LifetimeMinutes is not null)
        {
            throw new UsageException($"--lifetime is for tokens minted in local-development mode; this one comes from {tokens.Source.Describe()}, " +
                "and the identity provider decides how long it lives.");
        }
        var token = await tokens.AccessTokenAsync(settings.ScopeList, TimeSpan.FromMinutes(settings.LifetimeMinutes ?? 60), cancellationToken);
        if (!development && settings.Scope is not null)
        {
            var carried = tokens.Describe().Scopes;
            var missing = settings.ScopeList.Where(s => !carried.Contains(s, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0) ErrorView.Warn(environment.Error, $"the token does not carry {string.Join(" ", missing)} (it carries {string.Join(" ", carried)}).");
        }
        environment.RawOut.WriteLine(token);
        return ExitCodes.Success;
    }
}
