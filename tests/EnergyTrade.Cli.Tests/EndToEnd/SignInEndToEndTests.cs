using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Testing;
using static EnergyTrade.Testing.IdentityProviderUnderTest;

namespace EnergyTrade.Cli.Tests.EndToEnd;

/// <summary>
/// Signing in for real: the development identity provider as a process, services that trust nothing else, and the
/// CLI signing in as a script (client credentials) and as a person (the device flow, approved by posting the
/// provider's verification form as a browser would), renewing silently, and signing out.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed partial class SignInEndToEndTests(IdentityServicesFixture services) : IClassFixture<IdentityServicesFixture>, IDisposable
{

    private static readonly string[] Create =
    [
        "shipments", "create", "--exporter", "AZ", "--importer", "BY", "--origin", "AZ", "--grade", "Azeri Light",
        "--quantity", "700000", "--unit", "bbl", "--load-date", "2020-02-10", "--shipper", "SOCAR",
    ];

    private readonly TemporaryDirectory _home = new();

    private string LoginFile => _home.File("config", "tokens", "default.json");

    private static async Task Expect(CliRun run, int exit, params string[] args)
    {
        var actual = await run.RunAsync(args);
        Assert.True(actual == exit, $"energytrade {string.Join(' ', args)} exited {actual}, not {exit}:\n{run.Out}{run.Json}\n{run.Error}");
    }

    private static JsonElement Json(CliRun run) => JsonDocument.Parse(run.Json.ToString()).RootElement;

    private static JsonElement Read(string file) => JsonDocument.Parse(File.ReadAllText(file)).RootElement;

    private static List<string> ScopesOf(JsonElement whoami) => [.. whoami.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).Order()];

    private static CliRun Alongside(CliRun run, TimeProvider? clock = null)
    {
        var other = new CliRun { RealTransport = true, Clock = clock ?? TimeProvider.System };
        foreach (var (name, value) in run.Variables) other.Variables[name] = value;
        return other;
    }

    [Fact]
    public async Task A_script_signs_in_with_client_credentials_sees_its_client_and_scopes_and_reads_but_may_not_write()
    {
        var run = await services.ConfiguredCliAsync(_home);
        var secret = _home.Write("reader.secret", Secret(Reader) + "\n");

        await Expect(run, 0, "login", "--client-credentials", "--client-id", Reader, "--client-secret-file", secret);
        FileModes.AssertOwnerOnly(LoginFile);

        await Expect(run, 0, "whoami", "--output", "json");
        var whoami = Json(run);
        Assert.Equal(("login", Reader, Reader, services.Authority),
            (whoami.GetProperty("source").GetString(), whoami.GetProperty("clientId").GetString(), whoami.GetProperty("subject").GetString(),
                whoami.GetProperty("authority").GetString()));
        Assert.Equal([Scopes.ShipmentsRead, Scopes.TradeRead], ScopesOf(whoami));

        await Expect(run, 0, "trade", "totals", "AZ", "BY");
        // Shipments over mutual TLS, with the CA and the client certificate of the profile.
        await Expect(run, 0, "shipments", "list");

        await Expect(run, 1, Create);
        var error = run.Error.ToString();
        Assert.Contains("refused the call: the token does not carry the scope it needs (shipments:write to record", error);
        Assert.Contains($"client {Reader}", error);
        var carried = CarriedScopes().Match(error);
        Assert.True(carried.Success, error);
        Assert.Equal([Scopes.ShipmentsRead, Scopes.TradeRead], carried.Groups[1].Value.Split(' ').Order());
    }

    [Fact]
    public async Task A_script_exports_a_client_and_its_secret_and_runs_commands_without_logging_in()
    {
        var run = new CliRun { RealTransport = true };
        run.Variables["ENERGYTRADE_CONFIG_DIR"] = _home.File("config");
        run.Variables["ENERGYTRADE_SHIPMENTS_URL"] = services.ShipmentsUrl.ToString();
        run.Variables["ENERGYTRADE_TRADE_URL"] = services.TradeUrl.ToString();
        run.Variables["ENERGYTRADE_CA_FILE"] = services.Tls.CaPath;
        run.Variables["ENERGYTRADE_CLIENT_CERTIFICATE"] = Path.Combine(services.Tls.Directory, "client.crt");
        run.Variables["ENERGYTRADE_CLIENT_KEY"] = Path.Combine(services.Tls.Directory, "client.key");
        run.Variables["ENERGYTRADE_AUTHORITY"] = services.Authority;
        run.Variables["ENERGYTRADE_CLIENT_ID"] = Importer;
        run.Variables["ENERGYTRADE_CLIENT_SECRET"] = Secret(Importer);

        await Expect(run, 0, Create);
        var cache = _home.File("config", "tokens", "default.client-credentials.json");
        FileModes.AssertOwnerOnly(cache);
        var token = Read(cache).GetProperty("access_token").GetString();
        await Expect(run, 0, "trade", "totals", "AZ", "BY");
        await Expect(run, 0, "token");

        // One token for the whole script, and `energytrade token` hands out the same one (for grpcurl).
        Assert.Equal(token, Read(cache).GetProperty("access_token").GetString());
        Assert.Equal(token, run.Json.ToString().Trim());
        Assert.True((await services.Provider.ValidateAsync(token!)).IsValid);
        await Expect(run, 0, "whoami", "--output", "json");
        Assert.Equal(("client_credentials", Importer), (Json(run).GetProperty("source").GetString(), Json(run).GetProperty("clientId").GetString()));
    }

    [Fact]
    public async Task Without_the_client_certificate_the_mutual_TLS_service_refuses_the_connection()
    {
        var run = await services.ConfiguredCliAsync(_home);
        await Expect(run, 0, "login", "--client-id", Reader, "--client-secret-file", _home.Write("reader.secret", Secret(Reader)));
        await Expect(run, 0, "config", "unset", "client_certificate");
        await Expect(run, 0, "config", "unset", "client_key");

        await Expect(run, 1, "shipments", "list");

        // The handshake is refused before any answer: the message names the service and the TLS files that decide it.
        var error = run.Error.Flat();
        Assert.Contains("Shipments", error);
        Assert.Contains(services.ShipmentsUrl.ToString().TrimEnd('/'), error);
        Assert.Contains("a service that requires mutual TLS needs --client-certificate (and --client-key)", error);
        Assert.DoesNotContain("refused the token", error);
        // Trade, on cleartext, is not affected.
        await Expect(run, 0, "trade", "totals", "AZ", "BY");
    }

    [Fact]
    public async Task A_person_signs_in_in_a_browser_stays_signed_in_through_an_expiry_and_signs_out()
    {
        var run = await services.ConfiguredCliAsync(_home);

        await SignInAsync(run, "approve", "trader");

        FileModes.AssertOwnerOnly(LoginFile);
        Assert.Contains("Signed in to", run.Out.ToString());
        await Expect(run, 0, "whoami", "--output", "json");
        var whoami = Json(run);
        Assert.Equal(("login", "trader", IdentityProviderUnderTest.Cli), (whoami.GetProperty("source").GetString(), whoami.GetProperty("subject").GetString(),
            whoami.GetProperty("clientId").GetString()));
        // A trader may write but not operate: what the roles allow of the five asked for, and a refresh token.
        Assert.Equal(["offline_access", Scopes.ShipmentsRead, Scopes.ShipmentsWrite, Scopes.TradeRead], ScopesOf(whoami));
        await Expect(run, 0, Create);

        // Half a minute before the token expires, by the CLI's clock: the next command renews it first.
        var before = Read(LoginFile);
        var expiresAt = before.GetProperty("expires_at").GetDateTimeOffset();
        var later = Alongside(run, new ManualClock(expiresAt - TimeSpan.FromSeconds(30)));
        await Expect(later, 0, "trade", "totals", "AZ", "BY");
        var after = Read(LoginFile);
        Assert.NotEqual(before.GetProperty("access_token").GetString(), after.GetProperty("access_token").GetString());
        Assert.True(after.GetProperty("expires_at").GetDateTimeOffset() > expiresAt);
        FileModes.AssertOwnerOnly(LoginFile);
        Assert.True((await services.Provider.ValidateAsync(after.GetProperty("access_token").GetString()!)).IsValid);

        await Expect(run, 0, "logout");
        Assert.Contains("its refresh token is revoked", run.Out.ToString());
        Assert.False(File.Exists(LoginFile));
        var refresh = await services.Provider.RefreshAsync(after.GetProperty("refresh_token").GetString()!);
        Assert.True(refresh.IsError, "the refresh token still works after logout");

        await Expect(run, 4, "trade", "totals", "AZ", "BY");
        Assert.Contains("energytrade login", run.Error.ToString());
        await Expect(run, 4, "whoami");
        Assert.Contains("Not signed in: run energytrade login", run.Error.ToString());
    }

    [Fact]
    public async Task A_sign_in_denied_in_the_browser_saves_nothing()
    {
        var run = await services.ConfiguredCliAsync(_home);

        await SignInAsync(run, "deny", null, expectedExit: 1);

        Assert.Contains("The sign-in was denied", run.Error.ToString());
        Assert.False(File.Exists(LoginFile));
    }

    /// <summary>Runs `energytrade login`, reads the code it shows, and answers the provider's page as <paramref name="user"/> would.</summary>
    private async Task SignInAsync(CliRun run, string decision, string? user, int expectedExit = 0)
    {
        var login = run.RunAsync("login");
        var code = await CodeShownAsync(run, login);
        using (var page = await services.Provider.SubmitVerificationAsync(new Uri(services.Provider.BaseUrl, "/connect/verify"), code, decision,
            user, user is null ? null : Password(user)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        var exit = await login.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == expectedExit, $"energytrade login exited {exit}, not {expectedExit}:\n{run.Out}\n{run.Error}");
    }

    private static async Task<string> CodeShownAsync(CliRun run, Task<int> login)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (ShownCode().Match(run.Error.ToString()) is { Success: true } match) return match.Groups[1].Value;
            Assert.False(login.IsCompleted, $"energytrade login ended before showing a code:\n{run.Error}");
            Assert.True(DateTime.UtcNow < deadline, $"energytrade login showed no code:\n{run.Error}");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"^Code: (\S+)\r?$", RegexOptions.Multiline)]
    private static partial Regex ShownCode();

    [GeneratedRegex(@"carrying ([^.]+)\.")]
    private static partial Regex CarriedScopes();

    public void Dispose() => _home.Dispose();
}
