using System.Net;
using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Tests.Support;

namespace EnergyTrade.Cli.Tests;

/// <summary>
/// Where tokens may go and what a sign-in asks for: cleartext only on this machine, providers on loopback and
/// Microsoft Entra ID's layout, refresh tokens asked for, secrets and tokens kept out of sight.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SignInSafetyTests : IDisposable
{
    private const string Authority = FakeIdentityProvider.Authority;
    private const string Tenant = "8f3a2c1e-5b7d-4e9f-a6c3-2d1b0e9f8a7c";

    private readonly List<IDisposable> _owned = [];

    private SignInHome Home(FakeIdentityProvider? provider = null)
    {
        var home = new SignInHome(provider);
        _owned.Add(home);
        return home;
    }

    private static object Tokens(string scope = "shipments:read trade:read offline_access", string? refreshToken = "refresh-1") =>
        FakeIdentityProvider.Tokens("trader", "energytrade-cli", scope, refreshToken: refreshToken);

    [Fact]
    public async Task A_token_is_not_sent_in_cleartext_to_a_service_on_another_machine()
    {
        var run = Home().Run();
        run.Variables["ENERGYTRADE_TOKEN"] = "secret-token";

        Assert.Equal(ExitCodes.Usage, await run.RunAsync("trade", "totals", "AZ", "BY", "--trade-url", "http://trade.example:7000"));

        var error = run.Error.Flat();
        Assert.Contains("Trade's address http://trade.example:7000 is http:// to another machine", error);
        Assert.Contains("Use the service's https:// address", error);
        Assert.Empty(run.Server.Calls);
        Assert.DoesNotContain("secret-token", error);
    }

    [Theory]
    [InlineData("https://trade.example:7000")]
    [InlineData("http://localhost:5201")]
    [InlineData("http://127.0.0.5:5201")]
    [InlineData("http://[::1]:5201")]
    public async Task A_token_goes_over_https_anywhere_and_over_http_to_this_machine(string url)
    {
        var run = Home().Run();
        run.Variables["ENERGYTRADE_TOKEN"] = "secret-token";

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY", "--trade-url", url));

        Assert.Equal("Bearer secret-token", Assert.Single(run.Server.Calls).Authorization);
    }

    [Theory]
    [InlineData("http://[::1]:5300/")]
    [InlineData("http://127.0.0.2:5300/")]
    [InlineData("http://localhost:5300/")]
    public async Task An_identity_provider_on_this_machine_may_be_http(string authority)
    {
        var home = Home(new FakeIdentityProvider(authority));
        home.Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, Tokens()));
        var run = home.Run();

        Assert.Equal(0, await run.RunAsync("login", "--authority", authority));

        Assert.Contains($"Signed in to {authority} as trader", run.Out.ToString());
        Assert.Equal(authority, SignInHome.Read(home.LoginFile).GetProperty("authority").GetString());
    }

    [Fact]
    public async Task An_http_identity_provider_on_another_machine_is_refused_before_anything_is_sent()
    {
        var home = Home(new FakeIdentityProvider("http://login.example.test/"));
        var run = home.Run();

        Assert.Equal(ExitCodes.Usage, await run.RunAsync("login", "--authority", "http://login.example.test/"));

        Assert.Contains("The identity provider at http://login.example.test/ is not https://", run.Error.Flat());
        Assert.Contains("Use its https:// address", run.Error.Flat());
        Assert.Empty(home.Provider.Paths);
    }

    [Fact]
    public async Task Microsoft_Entra_ID_s_discovery_document_is_accepted_and_its_endpoints_are_used()
    {
        var home = Home(FakeIdentityProvider.EntraId(Tenant));
        home.Provider.TokenAnswers.Enqueue((HttpStatusCode.BadRequest, FakeIdentityProvider.Error("authorization_pending")));
        home.Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, Tokens("api://energytrade/shipments.read offline_access")));
        var run = home.Run();
        var authority = $"https://login.microsoftonline.com/{Tenant}/v2.0";

        Assert.Equal(0, await run.RunAsync("login", "--authority", authority, "--scope", "api://energytrade/shipments.read offline_access"));

        Assert.Contains("To sign in, open: https://microsoft.com/devicelogin", run.Error.Flat());
        Assert.Equal("api://energytrade/shipments.read offline_access", Assert.Single(home.Provider.DeviceRequests)["scope"]);
        Assert.Contains($"/{Tenant}/oauth2/v2.0/devicecode", home.Provider.Paths);
        Assert.Equal(2, home.Provider.Paths.Count(p => p == $"/{Tenant}/oauth2/v2.0/token"));
        Assert.Contains($"Signed in to {authority} as trader", run.Out.ToString());

        // Entra ID lists no revocation endpoint: logout says so, and deletes the sign-in all the same.
        Assert.Equal(0, await run.RunAsync("logout"));
        Assert.Contains("has no revocation endpoint", run.Error.Flat());
        Assert.False(File.Exists(home.LoginFile));
    }

    [Fact]
    public async Task A_scope_from_the_profile_asks_for_a_refresh_token_too()
    {
        var home = Home();
        home.Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, Tokens("trade:read offline_access")));
        var run = home.Run();
        Assert.Equal(0, await run.RunAsync("config", "set", "scope", "trade:read"));

        Assert.Equal(0, await run.RunAsync("login", "--authority", Authority));

        Assert.Equal("trade:read offline_access", Assert.Single(home.Provider.DeviceRequests)["scope"]);
        Assert.DoesNotContain("offline_access", run.Error.Flat());
        Assert.Contains("renewed with its refresh token", run.Out.ToString());
    }

    [Fact]
    public async Task A_login_says_when_a_client_secret_in_the_environment_will_be_used_instead_of_it()
    {
        var home = Home();
        home.Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, FakeIdentityProvider.Tokens("energytrade-importer", "energytrade-importer", "shipments:write")));
        var run = home.Run();
        var secret = home.Write("importer.secret", "importer-secret\n");
        run.Variables["ENERGYTRADE_CLIENT_SECRET"] = "reader-secret";

        Assert.Equal(0, await run.RunAsync("login", "--authority", Authority, "--client-id", "energytrade-importer", "--client-secret-file", secret));

        Assert.Equal("importer-secret", Assert.Single(home.Provider.TokenRequests)["client_secret"]);
        Assert.Contains("ENERGYTRADE_CLIENT_SECRET is set: commands fetch tokens with it", run.Error.Flat());
    }

    [Fact]
    public async Task A_client_secret_in_the_environment_is_trimmed_as_a_secret_file_is()
    {
        var home = Home();
        home.Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, FakeIdentityProvider.Tokens("energytrade-reader", "energytrade-reader", "trade:read")));
        var run = home.Run();
        run.Variables["ENERGYTRADE_CLIENT_ID"] = "energytrade-reader";
        run.Variables["ENERGYTRADE_CLIENT_SECRET"] = " reader-secret\n";
        run.Variables["ENERGYTRADE_AUTHORITY"] = Authority;

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));

        Assert.Equal("reader-secret", Assert.Single(home.Provider.TokenRequests)["client_secret"]);
    }

    [Fact]
    public async Task A_profile_name_that_would_share_another_profile_s_token_file_is_refused()
    {
        var home = Home();
        var run = home.Run();

        Assert.Equal(ExitCodes.Usage, await run.RunAsync("config", "set", "authority", Authority, "--profile", "prod.client-credentials"));

        Assert.Contains("may not end in .client-credentials", run.Error.Flat());
        Assert.Contains("profile 'prod'", run.Error.Flat());
    }

    [Fact]
    public void Printing_a_sign_in_or_a_grant_shows_no_token()
    {
        var now = DateTimeOffset.UtcNow;
        var grant = new TokenGrant("access-secret", now.AddMinutes(15), "refresh-secret", ["trade:read"], "trader", now);
        var signIn = CachedSignIn.From(grant, CachedSignIn.DeviceCodeKind, new Uri(Authority), "energytrade-cli");

        foreach (var text in new[] { grant.ToString(), signIn.ToString(), $"{signIn with { Subject = "someone" }}" })
        {
            Assert.DoesNotContain("access-secret", text);
            Assert.DoesNotContain("refresh-secret", text);
            Assert.Contains("[redacted]", text);
        }
        Assert.Contains("Subject = trader", signIn.ToString());
    }

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
    }
}
