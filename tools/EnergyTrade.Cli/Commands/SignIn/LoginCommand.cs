using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using EnergyTrade.Cli.Transport;
using EnergyTrade.Contracts.Security;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.SignIn;

/// <summary>
/// login: a person signs in through the device authorization grant (approving in a browser, anywhere); a script
/// signs in with client credentials, its secret from a file or $ENERGYTRADE_CLIENT_SECRET. The tokens are kept in
/// tokens/PROFILE.json under the configuration directory, owner-only, and renewed silently by later commands.
/// </summary>
public sealed class LoginCommand(CliEnvironment environment) : AsyncCommand<LoginSettings>
{
    /// <summary>What a person asks for by default: every scope (the provider grants what their roles allow) and a refresh token.</summary>
    public static readonly string DefaultPersonScope = string.Join(' ', [.. Scopes.All, "offline_access"]);

    public override async Task<int> ExecuteAsync(CommandContext context, LoginSettings settings, CancellationToken cancellationToken)
    {
        var profile = ConfigProfile.Load(settings.Profile, environment.Variables, mayBeNew: true);
        var directory = profile.RequireDirectory();
        using var tls = TlsFiles.Resolve(profile, settings.CaFile);
        var config = SignInConfig.Resolve(profile, tls, settings.Authority, settings.ClientId, settings.Scope);
        var authority = config.RequireAuthority();
        var (secret, secretFile) = Secret(settings);
        if (settings.ClientCredentials && secret is null)
        {
            throw new UsageException($"--client-credentials needs the client's secret: --client-secret-file FILE, or {TokenSource.ClientSecretVariable}. " +
                "Never on the command line, where it would show in process listings.");
        }
        var clientId = config.ClientId.Value!;
        if (secret is not null && config.ClientId.IsDefault)
        {
            throw new UsageException($"Client credentials need a confidential client's id ({clientId} is the public client people sign in with): " +
                $"--client-id ID, {ConfigKey.ClientId.Variable}, or energytrade config set client_id ID.");
        }

        using var provider = IdentityProvider.Create(authority, tls, environment);
        CachedSignIn signIn;
        if (secret is not null)
        {
            var scope = config.Scope.Value;
            var grant = await provider.ClientCredentialsAsync(clientId, secret, scope, cancellationToken);
            signIn = CachedSignIn.From(grant, CachedSignIn.ClientCredentialsKind, authority, clientId, secretFile, scope);
        }
        else
        {
            var grant = await new DeviceSignIn(provider, environment).RunAsync(clientId, config.Scope.Value ?? DefaultPersonScope, cancellationToken);
            signIn = CachedSignIn.From(grant, CachedSignIn.DeviceCodeKind, authority, clientId);
        }
        var file = directory.LoginFile(profile.Name);
        TokenCache.Write(file, signIn);

        Report(profile, signIn, file);
        return ExitCodes.Success;
    }

    /// <summary>The secret and the file it came from: --client-secret-file, else $ENERGYTRADE_CLIENT_SECRET, else none (a person signs in).</summary>
    private (string? Secret, string? File) Secret(LoginSettings settings)
    {
        if (settings.ClientSecretFile is { Length: > 0 } file)
        {
            if (ClientSecret.Exposure(file) is { } warning) ErrorView.Warn(environment.Error, warning);
            return (ClientSecret.Read(file, "--client-secret-file"), Path.GetFullPath(file));
        }
        return environment.Variables(TokenSource.ClientSecretVariable) is { Length: > 0 } secret ? (secret, null) : (null, null);
    }

    private void Report(ConfigProfile profile, CachedSignIn signIn, string file)
    {
        var who = new Credentials(CredentialSource.Login, profile.Name, signIn.Authority, signIn.ClientId, signIn.Subject, signIn.Scopes, signIn.ExpiresAt, true).Who;
        var renewal = signIn.RefreshToken is not null ? "renewed with its refresh token"
            : signIn.ClientSecretFile is not null ? "renewed by reading the secret file again"
            : "not renewable: sign in again when it expires";
        environment.Out.Write(new Text(
            $"Signed in to {signIn.Authority} as {who}{(profile.Name == ProfileName.Default ? "" : $" (profile '{profile.Name}')")}.{System.Environment.NewLine}" +
            $"Scopes: {(signIn.Scopes.Count == 0 ? "none" : string.Join(' ', signIn.Scopes))}{System.Environment.NewLine}" +
            $"The token expires in {WhoamiView.Relative(signIn.ExpiresAt - environment.Clock.GetUtcNow())}, {renewal}; kept in {file}.{System.Environment.NewLine}"));
        // A token in the environment comes ahead of a cached sign-in.
        if (environment.Variables(TokenSource.TokenVariable) is { Length: > 0 })
        {
            ErrorView.Warn(environment.Error, $"{TokenSource.TokenVariable} is set: commands send it rather than this sign-in until it is unset.");
        }
    }
}
