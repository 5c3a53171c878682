using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using EnergyTrade.Cli.Transport;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.SignIn;

/// <summary>
/// whoami: the profile, the identity provider, the client, the subject, the scopes and the expiry of the token the
/// other commands would send, and which source it comes from; renewing it first if it is about to expire, as they would.
/// </summary>
public sealed class WhoamiCommand(CliEnvironment environment) : AsyncCommand<WhoamiSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, WhoamiSettings settings, CancellationToken cancellationToken)
    {
        var profile = ConfigProfile.Load(settings.Profile, environment.Variables);
        using var tls = TlsFiles.Resolve(profile, settings.CaFile);
        using var tokens = new TokenSource(SignInConfig.Resolve(profile, tls, settings.Authority, settings.ClientId), environment);
        if (tokens.Source == CredentialSource.None) throw new NotSignedInException(NotSignedIn.Message(profile));
        var credentials = await tokens.PrepareAsync(cancellationToken);
        var now = environment.Clock.GetUtcNow();
        if (settings.Json) environment.RawOut.WriteLine(WhoamiView.Json(credentials, now));
        else environment.Out.Write(WhoamiView.Render(credentials, profile.NameSource, now));
        return ExitCodes.Success;
    }
}
