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
    /// <summary>The scope that asks for a refresh token, so a person's sign-in renews silently.</summary>
    public const string OfflineAccess = "offline_access";

    /// <summary>What a person asks for by default: every scope (the provider grants what their roles allow) and a refresh token.</summary>
    public static readonly string DefaultPersonScope = string.Join(' ', [.. Scopes.All, OfflineAccess]);

    public override async Task<int> ExecuteAsync(CommandContext context, LoginSettings settings, CancellationToken cancellationToken)
    {
        var profile = ConfigProfile.Load(settings.Profile, environment.Variables, mayBeNew: true);
        var directory = profile.RequireDirectory();
        using var tls = TlsFiles.Resolve(profile, settings.CaFile);
        var config = SignInConfig.Resolve(profile, tls, settings.Authority, settings.ClientId, settings.Scope);
        var authority = config.RequireAuthority();
        var (secret, secretFile, secretFromEnvironment) = Secret(settings);
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
            var grant = await new DeviceSignIn(provider, environment).RunAsync(clientId, PersonScope(config.Scope), cancellationToken);
            signIn = CachedSignIn.From(grant, CachedSignIn.DeviceCodeKind, authority, clientId);
        }
        var file = directory.LoginFile(profile.Name);
        // Under the profile's lock: a renewal another command started from the old sign-in finishes first, and cannot write it back over this one.
        using (await SignInLock.TakeAsync(directory, profile.Name, environment, cancellationToken))
        {
            TokenCache.Write(file, signIn);
        }

        Report(profile, signIn, file, secretFromEnvironment);
        return ExitCodes.Success;
    }

    /// <summary>
    /// What a person asks for: every scope and offline_access by default; a scope from the environment or the profile
    /// with offline_access added (it is there to name the API's scopes, and a sign-in that does not renew is seldom
    /// meant); --scope as given, with a warning when it leaves out offline_access.
    /// </summary>
    private string PersonScope(Setting scope)
    {
        if (scope.Value is null) return DefaultPersonScope;
        var scopes = TokenClaims.Split(scope.Value);
        if (scopes.Contains(OfflineAccess, StringComparer.Ordinal)) return scope.Value;
        if (scope.Source != ConfigKey.Scope.Option) return string.Join(' ', [.. scopes, OfflineAccess]);
        ErrorView.Warn(environment.Error, $"--scope does not ask for {OfflineAccess}: the provider gives no refresh token, so this sign-in will not " +
            $"renew, and ends when its first access token expires. Add {OfflineAccess} to --scope to stay signed in.");
        return scope.Value;
    }

    /// <summary>
    /// The secret, the file it came from, and whether it came from the environment: --client-secret-file, else
    /// $ENERGYTRADE_CLIENT_SECRET (trimmed, as the file is), else none (a person signs in).
    /// </summary>
    private (string? Secret, string? File, bool FromEnvironment) Secret(LoginSettings settings)
    {
        if (settings.ClientSecretFile is { Length: > 0 } file)
        {
            if (ClientSecret.Exposure(file) is { } warning) ErrorView.Warn(environment.Error, warning);
            return (ClientSecret.Read(file, "--client-secret-file"), Path.GetFullPath(file), false);
        }
        return EnvironmentSecret is { } secret ? (secret, null, true) : (null, null, false);
    }

    private string? EnvironmentSecret => environment.Variables(TokenSource.ClientSecretVariable)?.Trim() is { Length: > 0 } secret ? secret : null;

    private void Report(ConfigProfile profile, CachedSignIn signIn, string file, bool secretFromEnvironment)
    {
        var who = new Credentials(CredentialSource.Login, profile.Name, signIn.Authority, signIn.ClientId, signIn.Subject, signIn.Scopes, signIn.ExpiresAt, true).Who;
        var renewal = signIn.RefreshToken is not null ? "renewed with its refresh token"
            : signIn.ClientSecretFile is not null ? "renewed by reading the secret file again"
            : "not renewable: sign in again when it expires";
        environment.Out.Write(new Text(
            $"Signed in to {signIn.Authority} as {who}{(profile.Name == ProfileName.Default ? "" : $" (profile '{profile.Name}')")}.{System.Environment.NewLine}" +
            $"Scopes: {(signIn.Scopes.Count == 0 ? "none" : string.Join(' ', signIn.Scopes))}{System.Environment.NewLine}" +
            $"The token expires in {WhoamiView.Relative(signIn.ExpiresAt - environment.Clock.GetUtcNow())}, {renewal}; kept in {file}.{System.Environment.NewLine}"));
        // A token in the environment comes ahead of a cached sign-in, and so do client credentials in the environment.
        if (environment.Variables(TokenSource.TokenVariable) is { Length: > 0 })
        {
            ErrorView.Warn(environment.Error, $"{TokenSource.TokenVariable} is set: commands send it rather than this sign-in until it is unset.");
        }
        else if (!secretFromEnvironment && EnvironmentSecret is not null)
        {
            ErrorView.Warn(environment.Error, $"{TokenSource.ClientSecretVariable} is set: commands fetch tokens with it (client credentials) " +
                "rather than use this sign-in until it is unset.");
        }
    }
}
