namespace EnergyTrade.Cli.Auth;

/// <summary>
/// Where the bearer token for a call comes from: ENERGYTRADE_TOKEN as given, else one minted with
/// ENERGYTRADE_SIGNING_KEY (and ENERGYTRADE_ISSUER) carrying only the scopes the command needs,
/// else none (a service started with Auth:AllowAnonymous).
/// Secrets come only from the environment: command-line arguments show up in process listings.
/// </summary>
public sealed class TokenSource(Func<string, string?> environment, TimeProvider clock)
{
    public const string TokenVariable = "ENERGYTRADE_TOKEN";
    public const string SigningKeyVariable = "ENERGYTRADE_SIGNING_KEY";
    public const string IssuerVariable = "ENERGYTRADE_ISSUER";

    // Minted tokens live an hour and are renewed well before that, so a long import never sends an expired one.
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan RenewAfter = TimeSpan.FromMinutes(30);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Token, DateTimeOffset Minted)> _minted = new(StringComparer.Ordinal);

    public bool HasCredentials => Given is not null || SigningKey is not null;

    private string? Given => environment(TokenVariable) is { Length: > 0 } token ? token : null;
    private string? SigningKey => environment(SigningKeyVariable) is { Length: > 0 } key ? key : null;
    public string Issuer => environment(IssuerVariable) is { Length: > 0 } issuer ? issuer : JwtMinter.DefaultIssuer;

    /// <summary>The token for a call needing <paramref name="scopes"/>, or null when there is nothing to send.</summary>
    public string? TokenFor(IReadOnlyCollection<string> scopes)
    {
        if (Given is { } given) return given;
        if (SigningKey is not { } key) return null;
        var cacheKey = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (_minted.TryGetValue(cacheKey, out var cached) && now - cached.Minted < RenewAfter) return cached.Token;
            var token = JwtMinter.Mint(key, Issuer, scopes, now, Lifetime);
            _minted[cacheKey] = (token, now);
            return token;
        }
    }
}
