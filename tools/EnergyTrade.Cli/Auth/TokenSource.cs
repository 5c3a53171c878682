using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using EnergyTrade.Contracts.Security;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// Where the bearer token for a call comes from, first match wins:
/// <list type="number">
/// <item>$ENERGYTRADE_TOKEN, sent as it is;</item>
/// <item>client credentials: $ENERGYTRADE_CLIENT_SECRET with a client id ($ENERGYTRADE_CLIENT_ID or the profile) and an
/// authority — fetched on demand, reused by later commands through tokens/PROFILE.client-credentials.json, renewed before it expires;</item>
/// <item>the profile's cached `energytrade login`, renewed with its refresh token when it expires within a minute (half
/// its lifetime for a token that lives less than two; <see cref="LoginRenewal"/>);</item>
/// <item>local development only: a token minted with $ENERGYTRADE_SIGNING_KEY, the services' shared key;</item>
/// <item>none.</item>
/// </list>
/// Secrets come only from the environment or files: command-line arguments show up in process listings. Every
/// source renews its token before it expires, so a long import never sends an expired one.
/// </summary>
public sealed class TokenSource : IDisposable
{
    public const string TokenVariable = "ENERGYTRADE_TOKEN";
    public const string ClientSecretVariable = "ENERGYTRADE_CLIENT_SECRET";
    public const string SigningKeyVariable = "ENERGYTRADE_SIGNING_KEY";
    public const string IssuerVariable = "ENERGYTRADE_ISSUER";

    // Minted tokens live an hour and are renewed well before that.
    private static readonly TimeSpan MintedLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan MintAgainAfter = TimeSpan.FromMinutes(30);

    private readonly SignInConfig _config;
    private readonly CliEnvironment _environment;
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private readonly Lock _mintLock = new();
    private readonly Dictionary<string, (string Token, DateTimeOffset Minted)> _minted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdentityProvider> _providers = new(StringComparer.Ordinal);
    private readonly LoginRenewal _login;
    private CachedSignIn? _current;
    private CancellationToken _cancellation;

    public TokenSource(SignInConfig config, CliEnvironment environment)
    {
        _config = config;
        _environment = environment;
        _login = new LoginRenewal(config, environment, Provider);
        Source = Choose();
    }

    public CredentialSource Source { get; }

    private Func<string, string?> Variables => _environment.Variables;
    private TimeProvider Clock => _environment.Clock;
    private ConfigProfile Profile => _config.Profile;
    private string? Given => Variables(TokenVariable) is { Length: > 0 } token ? token.Trim() : null;
    /// <summary>Trimmed, as a secret file is: the newline of `export X=$(cat file)` or a pasted space is not part of it.</summary>
    private string? Secret => Variables(ClientSecretVariable)?.Trim() is { Length: > 0 } secret ? secret : null;
    private string? SigningKey => Variables(SigningKeyVariable) is { Length: > 0 } key ? key : null;
    public string Issuer => Variables(IssuerVariable) is { Length: > 0 } issuer ? issuer : JwtMinter.DefaultIssuer;
    private string? LoginFile => Profile.Directory?.LoginFile(Profile.Name);

    private CredentialSource Choose()
    {
        if (Given is not null) return CredentialSource.EnvironmentToken;
        if (Secret is not null) return CredentialSource.ClientCredentials;
        if (LoginFile is { } file && File.Exists(file)) return CredentialSource.Login;
        if (SigningKey is not null) return CredentialSource.DevelopmentKey;
        return CredentialSource.None;
    }

    /// <summary>
    /// Gets the first token before any call, so a failure to sign in is reported as such, and remembers the run's
    /// cancellation for renewals later on. Returns what will be sent.
    /// </summary>
    public async Task<Credentials> PrepareAsync(CancellationToken cancellationToken)
    {
        _cancellation = cancellationToken;
        switch (Source)
        {
            case CredentialSource.ClientCredentials:
            case CredentialSource.Login:
                await CurrentAsync(cancellationToken);
                break;
            case CredentialSource.DevelopmentKey:
                JwtMinter.CheckKey(SigningKey!);
                break;
            case CredentialSource.EnvironmentToken when TokenClaims.Read(Given!)?.ExpiresAt is { } expires && expires <= Clock.GetUtcNow():
                ErrorView.Warn(_environment.Error, $"{TokenVariable} expired {WhoamiView.Expiry(expires, Clock.GetUtcNow())}; the services will refuse it.");
                break;
        }
        return Describe();
    }

    /// <summary>The token for a call needing <paramref name="scopes"/>, or null when there is nothing to send.</summary>
    /// <remarks>
    /// Called by a synchronous interceptor as each call starts: a provider's token that needs renewing mid-run
    /// (a long import) is renewed right there, before the call goes out with it, and a failure to renew is thrown
    /// from the call as it starts (the interceptor's caller sees the NotSignedInException, not a gRPC status).
    /// </remarks>
    public string? TokenFor(IReadOnlyCollection<string> scopes) => Source switch
    {
        CredentialSource.EnvironmentToken => Given,
        CredentialSource.DevelopmentKey => Mint(scopes),
        CredentialSource.ClientCredentials or CredentialSource.Login => _current is { } current && !current.NearExpiry(Clock.GetUtcNow())
            ? current.AccessToken
            // Renewed on the thread pool: blocking on async work under the caller's synchronization context (a test
            // runner's, a UI's) would wait for continuations queued behind the very thread that waits.
            : Task.Run(() => CurrentAsync(_cancellation)).GetAwaiter().GetResult().AccessToken,
        _ => null,
    };

    /// <summary>The access token itself (energytrade token): the provider's, or one minted in local-development mode.</summary>
    public async Task<string?> AccessTokenAsync(IReadOnlyCollection<string> scopes, TimeSpan? mintedLifetime, CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken);
        if (Source == CredentialSource.DevelopmentKey && mintedLifetime is { } lifetime)
        {
            return JwtMinter.Mint(SigningKey!, Issuer, scopes, Clock.GetUtcNow(), lifetime);
        }
        return TokenFor(scopes);
    }

    /// <summary>What would be sent, without asking the provider anything.</summary>
    public Credentials Describe()
    {
        var profile = Profile.Name;
        switch (Source)
        {
            case CredentialSource.EnvironmentToken:
                var claims = TokenClaims.Read(Given!);
                return new Credentials(Source, profile, claims?.Issuer, claims?.ClientId, claims?.Subject, claims?.Scopes ?? [], claims?.ExpiresAt, false);
            case CredentialSource.ClientCredentials:
            case CredentialSource.Login:
                var signIn = _current ?? TokenCache.Read(Source == CredentialSource.Login ? LoginFile : null);
                if (signIn is null) return new Credentials(Source, profile, _config.Authority.Value, _config.ClientId.Value, null, [], null, true);
                var renewable = Source == CredentialSource.ClientCredentials || signIn.RefreshToken is not null || signIn.ClientSecretFile is not null;
                return new Credentials(Source, profile, signIn.Authority, signIn.ClientId, signIn.Subject, signIn.Scopes, signIn.ExpiresAt, renewable);
            case CredentialSource.DevelopmentKey:
                return new Credentials(Source, profile, Issuer, null, JwtMinter.DefaultSubject, Scopes.All, Clock.GetUtcNow() + MintedLifetime, true);
            default:
                return Credentials.None(profile);
        }
    }

    private async Task<CachedSignIn> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && !current.NearExpiry(Clock.GetUtcNow())) return current;
        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } renewed && !renewed.NearExpiry(Clock.GetUtcNow())) return renewed;
            return _current = Source == CredentialSource.ClientCredentials
                ? await ClientCredentialsAsync(cancellationToken)
                : await _login.CurrentAsync(cancellationToken);
        }
        finally
        {
            _renewing.Release();
        }
    }

    /// <summary>A token for the client in the environment: the one an earlier command cached if still good, else a new one.</summary>
    private async Task<CachedSignIn> ClientCredentialsAsync(CancellationToken cancellationToken)
    {
        var clientId = _config.ClientId;
        if (clientId.IsDefault || clientId.Value is null)
        {
            throw new UsageException($"{ClientSecretVariable} is set, but not the client it belongs to: set {ConfigKey.ClientId.Variable} " +
                "(e.g. energytrade-importer), or keep it in the profile with energytrade config set client_id ID.");
        }
        var authority = _config.AuthorityUrl ?? throw new UsageException(
            $"{ClientSecretVariable} is set, but not the identity provider to use it at. " + SignInConfig.MissingAuthority(Profile.Name));
        var scope = _config.Scope.Value;
        var file = Profile.Directory?.ClientCredentialsFile(Profile.Name);
        if (TokenCache.Read(file) is { } cached && cached.IsFrom(authority) && cached.ClientId == clientId.Value && cached.RequestedScope == scope
            && ClientSecret.Matches(cached.SecretFingerprint, Secret!) && !cached.NearExpiry(Clock.GetUtcNow()))
        {
            return cached;
        }
        var grant = await Provider(authority).ClientCredentialsAsync(clientId.Value, Secret!, scope, cancellationToken);
        var signIn = CachedSignIn.From(grant, CachedSignIn.ClientCredentialsKind, authority, clientId.Value, requestedScope: scope) with
        {
            SecretFingerprint = ClientSecret.Fingerprint(Secret!),
        };
        try
        {
            if (file is not null) TokenCache.Write(file, signIn);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only home (a locked-down CI runner): the token still serves this command.
        }
        return signIn;
    }

    private IdentityProvider Provider(Uri authority)
    {
        lock (_providers)
        {
            var key = authority.ToString();
            if (!_providers.TryGetValue(key, out var provider)) _providers[key] = provider = IdentityProvider.Create(authority, _config.Tls, _environment);
            return provider;
        }
    }

    /// <summary>Local-development mode: a token with just the scopes the call needs, minted with the services' shared key.</summary>
    private string Mint(IReadOnlyCollection<string> scopes)
    {
        var key = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        lock (_mintLock)
        {
            var now = Clock.GetUtcNow();
            if (_minted.TryGetValue(key, out var cached) && now - cached.Minted < MintAgainAfter) return cached.Token;
            var token = JwtMinter.Mint(SigningKey!, Issuer, scopes, now, MintedLifetime);
            _minted[key] = (token, now);
            return token;
        }
    }

    public void Dispose()
    {
        foreach (var provider in _providers.Values) provider.Dispose();
        _renewing.Dispose();
    }
}
