using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Infrastructure;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands;

/// <summary>
/// token: prints a bearer token for other gRPC clients (grpcurl, tests), signed with the local
/// development key. The other commands mint their own; this is for everything else.
/// </summary>
public sealed class TokenCommand(CliEnvironment environment) : Command<TokenSettings>
{
    public override int Execute(CommandContext context, TokenSettings settings, CancellationToken cancellationToken)
    {
        if (environment.Variables(TokenSource.SigningKeyVariable) is not { Length: > 0 } key)
        {
            throw new UsageException($"{TokenSource.SigningKeyVariable} is not set. scripts/up.sh keeps the services' key as SIGNING_KEY in .run/up/secrets.env: " +
                $"export {TokenSource.SigningKeyVariable}=$(sed -n 's/^SIGNING_KEY=//p' .run/up/secrets.env)");
        }
        var issuer = environment.Variables(TokenSource.IssuerVariable) is { Length: > 0 } i ? i : JwtMinter.DefaultIssuer;
        environment.RawOut.WriteLine(JwtMinter.Mint(key, issuer, settings.ScopeList, environment.Clock.GetUtcNow(), TimeSpan.FromMinutes(settings.LifetimeMinutes)));
        return ExitCodes.Success;
    }
}
