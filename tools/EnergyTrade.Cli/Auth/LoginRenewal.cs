using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// The profile's cached `energytrade login` (tokens/PROFILE.json), renewed when it nears expiry: with its refresh token,
/// or by reading its secret file again. The renewal runs under the profile's <see cref="SignInLock"/> and is written
/// back before Ctrl-C is honoured, so a rotated refresh token is neither spent twice nor lost.
/// </summary>
public sealed class LoginRenewal(SignInConfig config, CliEnvironment environment, Func<Uri, IdentityProvider> providers)
{
    /// <summary>After a renewal that could not renew, how long the sign-in in hand is used before trying again.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);
    private bool _warnedStale;
    private (CachedSignIn SignIn, DateTimeOffset RetryAt)? _held;

    private ConfigProfile Profile => config.Profile;
    private ConfigDirectory Directory => Profile.Directory!;
    private string LoginFile => Directory.LoginFile(Profile.Name);
    private DateTimeOffset Now => environment.Clock.GetUtcNow();

    public string LoginCommand => "energytrade login" + (Profile.Name == ProfileName.Default ? "" : $" --profile {Profile.Name}");

    /// <summary>The cached sign-in, renewed (and written back) first when it is near expiry.</summary>
    public async Task<CachedSignIn> CurrentAsync(CancellationToken cancellationToken)
    {
        // Calls in the meantime neither read the file, take the lock nor ask the provider again.
        if (_held is { } held && Now < held.RetryAt && !held.SignIn.Expired(Now)) return held.SignIn;
        var signIn = Read();
        if (!signIn.NearExpiry(Now)) return signIn;

        using (await SignInLock.TakeAsync(Directory, Profile.Name, environment, cancellationToken))
        {
            // Another command may have renewed it while this one waited for the lock.
            signIn = Read();
            if (!signIn.NearExpiry(Now)) return signIn;
            TokenGrant? grant;
            try
            {
                grant = await RenewAsync(signIn, cancellationToken);
            }
            catch (IdentityProviderException problem) when (!signIn.Expired(Now))
            {
                // The provider is unreachable or slow for the moment, and the token has a few seconds left: use them.
                if (!_warnedStale) ErrorView.Warn(environment.Error, $"{problem.Message} Using the current token until it expires.");
                _warnedStale = true;
                return Hold(signIn);
            }
            if (grant is null) return Hold(signIn);
            _held = null;
            var renewed = Save(signIn, signIn.RenewedWith(grant));
            cancellationToken.ThrowIfCancellationRequested();
            return renewed;
        }
    }

    private CachedSignIn Hold(CachedSignIn signIn)
    {
        _held = (signIn, Now + RetryAfter);
        return signIn;
    }

    /// <summary>A new grant; null for a sign-in that cannot be renewed but has not expired yet.</summary>
    private async Task<TokenGrant?> RenewAsync(CachedSignIn signIn, CancellationToken cancellationToken)
    {
        var provider = providers(new Uri(signIn.Authority));
        if (signIn.RefreshToken is { } refreshToken)
        {
            return await provider.RefreshAsync(signIn.ClientId, refreshToken, LoginCommand, cancellationToken);
        }
        if (signIn.ClientSecretFile is { } secretFile)
        {
            return await provider.ClientCredentialsAsync(signIn.ClientId, ClientSecret.Read(secretFile, "client_secret_file in " + LoginFile),
                signIn.RequestedScope, cancellationToken);
        }
        if (!signIn.Expired(Now)) return null;
        throw NotSignedIn("Your sign-in has expired and cannot be renewed (it has no refresh token)");
    }

    /// <summary>
    /// Writes the renewed sign-in back if the file still holds the one it was renewed from. If it does not (a login, or
    /// a command that did not take the lock, changed it meanwhile), what it holds is newer, and is used instead.
    /// </summary>
    private CachedSignIn Save(CachedSignIn used, CachedSignIn renewed)
    {
        var current = TokenCache.Read(LoginFile);
        if (current is null || current.RefreshToken != used.RefreshToken || current.AccessToken != used.AccessToken)
        {
            return current ?? throw NotSignedIn($"The cached sign-in {LoginFile} was removed while it was being renewed");
        }
        try
        {
            TokenCache.Write(LoginFile, renewed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var next = renewed.RefreshToken != used.RefreshToken
                ? $"the provider has replaced the refresh token, so the next command will have to sign in again ({LoginCommand})"
                : "the next command will have to renew it again";
            ErrorView.Warn(environment.Error, $"Could not save the renewed sign-in to {LoginFile} ({e.Message.TrimEnd('.')}): this command goes on " +
                $"with it, but {next}. Check that {Directory.TokensDirectory} is writable.");
        }
        return renewed;
    }

    private CachedSignIn Read()
    {
        var signIn = TokenCache.Read(LoginFile) ?? throw NotSignedIn($"The cached sign-in {LoginFile} cannot be read");
        if (config.AuthorityUrl is { } configured && !signIn.IsFrom(configured))
        {
            throw new NotSignedInException($"Profile '{Profile.Name}' is signed in at {signIn.Authority}, but the authority is now {configured} " +
                $"({config.Authority.Source}): run {LoginCommand} to sign in there.");
        }
        return signIn;
    }

    private NotSignedInException NotSignedIn(string what) => new($"{what}: run {LoginCommand}.");
}
