using System.Text.Json;
using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Profiles;
using EnergyTrade.Cli.Transport;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>
/// What a sign-in test works with: a configuration directory of its own, an in-process provider, a clock that moves
/// only when told to (or by the CLI's waits), and runs of the CLI with them.
/// </summary>
public sealed class SignInHome : IDisposable
{
    private readonly TemporaryDirectory _home = new();

    public SignInHome(FakeIdentityProvider? provider = null) => Provider = provider ?? new FakeIdentityProvider();

    public FakeIdentityProvider Provider { get; }
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public string ConfigDirectory => _home.File("config");
    public string LoginFile => _home.File("config", "tokens", "default.json");
    public string LockFile => _home.File("config", "tokens", "default.lock");

    /// <summary>A file of the test's own beside the configuration directory, owner-only like a secret should be.</summary>
    public string Write(string name, string contents) => _home.Write(name, contents);

    /// <summary>A run against the provider (or <paramref name="provider"/> in front of it) and a fake Trade service.</summary>
    public CliRun Run(HttpMessageHandler? provider = null)
    {
        var run = new CliRun { IdentityProvider = provider ?? Provider, Clock = Clock };
        run.Variables["ENERGYTRADE_CONFIG_DIR"] = ConfigDirectory;
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ => Replies.SeedTotals());
        return run;
    }

    /// <summary>A cached device sign-in with <paramref name="left"/> to go; issued <paramref name="lifetime"/> before it expires, if given.</summary>
    public void SignedIn(TimeSpan left, string? refreshToken = "refresh-1", string accessToken = "access-1", string authority = FakeIdentityProvider.Authority,
        TimeSpan? lifetime = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LoginFile)!);
        var expiresAt = Clock.Now + left;
        TokenCache.Write(LoginFile, new CachedSignIn
        {
            Kind = CachedSignIn.DeviceCodeKind,
            Authority = authority,
            ClientId = "energytrade-cli",
            Subject = "trader",
            Scope = "shipments:read shipments:write trade:read offline_access",
            AccessToken = accessToken,
            ExpiresAt = expiresAt,
            IssuedAt = lifetime is { } span ? expiresAt - span : null,
            RefreshToken = refreshToken,
        });
    }

    /// <summary>A token source of the default profile, as a command holds one, talking to the provider through <paramref name="provider"/>.</summary>
    public TokenSource Tokens(HttpMessageHandler provider)
    {
        var variables = new Dictionary<string, string> { ["ENERGYTRADE_CONFIG_DIR"] = ConfigDirectory };
        var profile = ConfigProfile.Load(null, name => variables.GetValueOrDefault(name));
        var tls = new TlsFiles(new Setting(ConfigKey.CaFile, null, Setting.UnsetSource), new Setting(ConfigKey.ClientCertificate, null, Setting.UnsetSource),
            new Setting(ConfigKey.ClientKey, null, Setting.UnsetSource));
        var environment = new CliEnvironment
        {
            Out = CliRun.Console(new StringWriter()),
            Error = CliRun.Console(new StringWriter()),
            RawOut = new StringWriter(),
            Variables = name => variables.GetValueOrDefault(name),
            Clock = Clock,
            IdentityHttp = () => new Shared(provider),
        };
        return new TokenSource(SignInConfig.Resolve(profile, tls), environment);
    }

    public static JsonElement Read(string file) => JsonDocument.Parse(File.ReadAllText(file)).RootElement;

    public void Dispose()
    {
        Provider.Dispose();
        _home.Dispose();
    }

    /// <summary>Passes requests on to a handler that outlives the HttpClient the token source disposes.</summary>
    private sealed class Shared(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // The handler belongs to the test.
        }
    }
}
