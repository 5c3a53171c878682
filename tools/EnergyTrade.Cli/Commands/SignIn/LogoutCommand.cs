using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using EnergyTrade.Cli.Transport;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.SignIn;

/// <summary>
/// logout: deletes the profile's cached sign-in, and the token cached for the client in the environment, under the
/// profile's lock (so a renewal in progress finishes first and cannot write them back); then revokes the refresh
/// token at the provider (when it lists a revocation endpoint), best effort and bounded in time: a provider that is
/// down, slow or refusing, or a CA file that is missing, is reported, and changes nothing about the deletion.
/// </summary>
public sealed class LogoutCommand(CliEnvironment environment) : AsyncCommand<LogoutSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LogoutSettings settings, CancellationToken cancellationToken)
    {
        var profile = ConfigProfile.Load(settings.Profile, environment.Variables);
        var named = profile.Name == ProfileName.Default ? "" : $" (profile '{profile.Name}')";
        var (signIn, deleted) = profile.Directory is { } directory ? await DeleteAsync(directory, profile.Name, cancellationToken) : (null, false);

        if (signIn is not null)
        {
            var revoked = signIn.RefreshToken is { } refreshToken && await RevokeAsync(profile, settings, signIn, refreshToken, cancellationToken);
            var who = new Credentials(CredentialSource.Login, profile.Name, signIn.Authority, signIn.ClientId, signIn.Subject, [], null, false).Who;
            environment.Out.Write(new Text($"Signed out {who} at {signIn.Authority}{named}{(revoked ? "; its refresh token is revoked" : "")}.{System.Environment.NewLine}"));
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

    /// <summary>The cached sign-in as it was (null if there was none, or it could not be read), and whether any file was deleted.</summary>
    private async Task<(CachedSignIn? SignIn, bool Deleted)> DeleteAsync(ConfigDirectory directory, string profile, CancellationToken cancellationToken)
    {
        var loginFile = directory.LoginFile(profile);
        using (await SignInLock.TakeAsync(directory, profile, environment, cancellationToken))
        {
            var signIn = TokenCache.Read(loginFile);
            try
            {
                return (signIn, TokenCache.Delete(loginFile) | TokenCache.Delete(directory.ClientCredentialsFile(profile)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"Could not delete the cached sign-in in {directory.TokensDirectory} ({e.Message.TrimEnd('.')}); nothing was revoked. " +
                    "Check the directory's permissions, or delete the profile's files there yourself.");
            }
        }
    }

    /// <summary>
    /// Whether the provider revoked the refresh token; a warning saying why not otherwise. The tokens are gone from disk
    /// already, so nothing here may fail the command, and it waits at most one request timeout.
    /// </summary>
    private async Task<bool> RevokeAsync(ConfigProfile profile, LogoutSettings settings, CachedSignIn signIn, string refreshToken, CancellationToken cancellationToken)
    {
        const string Afterwards = "It stays usable until it expires; the cached sign-in is deleted all the same.";
        // On the wall clock, as the request's own timeout is: this bounds network time.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(environment.IdentityTimeout);
        string? problem;
        try
        {
            using var tls = TlsFiles.Resolve(profile, settings.CaFile);
            using var provider = IdentityProvider.Create(new Uri(signIn.Authority), tls, environment);
            problem = await provider.RevokeAsync(signIn.ClientId, refreshToken, bounded.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ErrorView.Warn(environment.Error, $"Cancelled before the refresh token was revoked. {Afterwards}");
            throw;
        }
        catch (OperationCanceledException)
        {
            problem = $"The identity provider at {signIn.Authority} did not answer within {environment.IdentityTimeout.TotalSeconds:0.#} s.";
        }
        catch (Exception e) when (e is IdentityProviderException or UsageException or UriFormatException or HttpRequestException)
        {
            problem = e.Message;
        }
        if (problem is null) return true;
        ErrorView.Warn(environment.Error, $"Could not revoke the refresh token: {problem.TrimEnd('.')}. {Afterwards}");
        return false;
    }
}
