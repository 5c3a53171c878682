using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using EnergyTrade.Cli.Transport;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.SignIn;

/// <summary>
/// logout: revokes the profile's refresh token at the provider (when it lists a revocation endpoint), and deletes the
/// cached sign-in, and the token cached for the client in the environment, whether or not the revocation worked.
/// </summary>
public sealed class LogoutCommand(CliEnvironment environment) : AsyncCommand<LogoutSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LogoutSettings settings, CancellationToken cancellationToken)
    {
        var profile = ConfigProfile.Load(settings.Profile, environment.Variables);
        var named = profile.Name == ProfileName.Default ? "" : $" (profile '{profile.Name}')";
        var directory = profile.Directory;
        var loginFile = directory?.LoginFile(profile.Name);
        var signIn = TokenCache.Read(loginFile);

        string? revoked = null;
        if (signIn?.RefreshToken is { } refreshToken)
        {
            using var tls = TlsFiles.Resolve(profile, settings.CaFile);
            using var provider = IdentityProvider.Create(new Uri(signIn.Authority), tls, environment);
            var problem = await provider.RevokeAsync(signIn.ClientId, refreshToken, cancellationToken);
            if (problem is null) revoked = "; its refresh token is revoked";
            else ErrorView.Warn(environment.Error, $"Could not revoke the refresh token: {problem}. It stays usable until it expires; the cached sign-in is deleted all the same.");
        }
        var deleted = TokenCache.Delete(loginFile) | TokenCache.Delete(directory?.ClientCredentialsFile(profile.Name));
        if (directory is not null && File.Exists(directory.LockFile(profile.Name))) File.Delete(directory.LockFile(profile.Name));

        if (signIn is not null)
        {
            var who = new Credentials(CredentialSource.Login, profile.Name, signIn.Authority, signIn.ClientId, signIn.Subject, [], null, false).Who;
            environment.Out.Write(new Text($"Signed out {who} at {signIn.Authority}{named}{revoked}.{System.Environment.NewLine}"));
        }
        else
        {
            environment.Out.Write(new Text(deleted ? $"Deleted the cached tokens{named}.{System.Environment.NewLine}" : $"Not signed in{named}; nothing to do.{System.Environment.NewLine}"));
        }
        foreach (var variable in new[] { TokenSource.TokenVariable, TokenSource.ClientSecretVariable })
        {
            if (environment.Variables(variable) is { Length: > 0 }) ErrorView.Warn(environment.Error, $"{variable} is still set: commands keep using it until it is unset.");
        }
        return ExitCodes.Success;
    }
}
