using System.Net;
using System.Text.Json;
using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Profiles;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Cli.Transport;
using EnergyTrade.Trade.V1;
using Grpc.Core;

namespace EnergyTrade.Cli.Tests;

/// <summary>
/// login, the token cache, silent renewal, logout and whoami against an in-process provider, for what a real one
/// cannot be made to do on cue; the end-to-end suite (EndToEnd/SignInEndToEndTests) does the same with the real one.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SignInTests : IDisposable
{
    private const string Authority = FakeIdentityProvider.Authority;

    private readonly TemporaryDirectory _home = new();
    private readonly FakeIdentityProvider _provider = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    private string LoginFile => _home.File("config", "tokens", "default.json");

    private CliRun Run()
    {
        var run = new CliRun { IdentityProvider = _provider, Clock = _clock };
        run.Variables["ENERGYTRADE_CONFIG_DIR"] = _home.File("config");
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ => Replies.SeedTotals());
        return run;
    }

    private static JsonElement Json(CliRun run) => JsonDocument.Parse(run.Json.ToString()).RootElement;

    private static JsonElement Read(string file) => JsonDocument.Parse(File.ReadAllText(file)).RootElement;

    private void SignedIn(TimeSpan left, string? refreshToken = "refresh-1", string accessToken = "access-1")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LoginFile)!);
        TokenCache.Write(LoginFile, new CachedSignIn
        {
            Kind = CachedSignIn.DeviceCodeKind,
            Authority = Authority,
            ClientId = "energytrade-cli",
            Subject = "trader",
            Scope = "shipments:read shipments:write trade:read offline_access",
            AccessToken = accessToken,
            ExpiresAt = _clock.Now + left,
            RefreshToken = refreshToken,
        });
    }

    [Fact]
    public async Task The_sign_in_and_config_commands_are_listed_in_the_help()
    {
        var run = Run();
        await run.RunAsync("--help");
        var root = run.Out.ToString();
        await run.RunAsync("config", "--help");
        var config = run.Out.ToString();

        foreach (var command in new[] { "login", "logout", "whoami", "token", "config" }) Assert.Contains(command, root);
        foreach (var command in new[] { "set", "get", "unset", "list", "profiles", "use" }) Assert.Contains(command, config);
    }

    [Fact]
    public async Task An_opaque_token_in_the_environment_is_sent_and_shown_as_it_is()
    {
        var run = Run();
        run.Variables["ENERGYTRADE_TOKEN"] = "not-a-jwt";

        Assert.Equal(0, await run.RunAsync("whoami", "--output", "json"));
        Assert.Equal("environment_token", Json(run).GetProperty("source").GetString());
        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));
        Assert.Equal("Bearer not-a-jwt", Assert.Single(run.Server.Calls).Authorization);
    }

    [Fact]
    public async Task Login_without_an_authority_says_how_to_set_one()
    {
        var run = Run();

        Assert.Equal(2, await run.RunAsync("login"));

        Assert.Contains("energytrade config set authority URL", run.Error.ToString());
        Assert.Contains("scripts/up.sh", run.Error.ToString());
        Assert.Empty(_provider.TokenRequests);
    }

    [Fact]
    public async Task A_client_secret_is_never_taken_from_the_command_line()
    {
        var run = Run();

        Assert.Equal(2, await run.RunAsync("login", "--authority", Authority, "--client-id", "energytrade-importer", "--client-secret", "s3cret"));
        Assert.Equal(2, await run.RunAsync("login", "--authority", Authority, "--client-credentials", "--client-id", "energytrade-importer"));

        Assert.Contains("--client-secret-file FILE, or ENERGYTRADE_CLIENT_SECRET", run.Error.ToString());
        Assert.Empty(_provider.TokenRequests);
    }

    [Fact]
    public async Task A_client_credentials_login_keeps_its_token_owner_only_and_the_commands_send_it()
    {
        var secret = _home.Write("importer.secret", "importer-secret\n");
        _provider.TokenAnswers.Enqueue((HttpStatusCode.OK, FakeIdentityProvider.Tokens("energytrade-importer", "energytrade-importer", "shipments:read shipments:write trade:read")));
        var run = Run();

        Assert.Equal(0, await run.RunAsync("login", "--authority", Authority, "--client-credentials", "--client-id", "energytrade-importer",
            "--client-secret-file", secret));
        Assert.Contains("Signed in to https://login.example.test/ as client energytrade-importer", run.Out.ToString());
        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));

        var request = Assert.Single(_provider.TokenRequests);
        Assert.Equal("client_credentials", request["grant_type"]);
        var cached = Read(LoginFile);
        FileModes.AssertOwnerOnly(LoginFile);
        FileModes.AssertOwnerOnlyDirectory(Path.GetDirectoryName(LoginFile)!);
        Assert.Equal("client_credentials", cached.GetProperty("kind").GetString());
        // The secret stays in its file: the cache names the file, to read it again when the token runs out.
        Assert.DoesNotContain("importer-secret", File.ReadAllText(LoginFile));
        Assert.Equal(secret, cached.GetProperty("client_secret_file").GetString());
        Assert.Equal($"Bearer {cached.GetProperty("access_token").GetString()}", Assert.Single(run.Server.Calls).Authorization);
    }

    [Fact]
    public async Task A_person_signs_in_through_the_device_flow_polling_no_faster_than_the_provider_asks()
    {
        foreach (var error in new[] { "authorization_pending", "slow_down", "authorization_pending" })
        {
            _provider.TokenAnswers.Enqueue((HttpStatusCode.BadRequest, FakeIdentityProvider.Error(error)));
        }
        _provider.TokenAnswers.Enqueue((HttpStatusCode.OK, FakeIdentityProvider.Tokens("trader", "energytrade-cli", "shipments:read shipments:write trade:read offline_access",
            refreshToken: "refresh-1")));
        var run = Run();

        Assert.Equal(0, await run.RunAsync("login", "--authority", Authority));

        Assert.Contains("To sign in, open: https://login.example.test/verify?user_code=WDJB-MJHT", run.Error.ToString());
        Assert.Contains("Code: WDJB-MJHT", run.Error.ToString());
        // Five seconds between polls (RFC 8628's default), five more from the slow_down on.
        Assert.Equal([5, 5, 10, 10], run.Delays.Select(d => d.TotalSeconds));
        Assert.All(_provider.TokenRequests, r => Assert.Equal("urn:ietf:params:oauth:grant-type:device_code", r["grant_type"]));
        Assert.Contains("Signed in to https://login.example.test/ as trader through client energytrade-cli", run.Out.ToString());
        var cached = Read(LoginFile);
        Assert.Equal(("trader", "refresh-1"), (cached.GetProperty("subject").GetString(), cached.GetProperty("refresh_token").GetString()));
        FileModes.AssertOwnerOnly(LoginFile);
    }

    [Fact]
    public async Task A_person_asks_for_every_scope_and_a_refresh_token_unless_told_otherwise()
    {
        _provider.TokenAnswers.Enqueue((HttpStatusCode.OK, FakeIdentityProvider.Tokens("trader", "energytrade-cli", "trade:read")));
        var device = new RecordingHandler(_provider);
        var run = Run();
        run.IdentityProvider = device;

        Assert.Equal(0, await run.RunAsync("login", "--authority", Authority));
        _provider.TokenAnswers.Enqueue((HttpStatusCode.OK, FakeIdentityProvider.Tokens("trader", "energytrade-cli", "trade:read")));
        Assert.Equal(0, await run.RunAsync("login", "--authority", Authority, "--scope", "trade:read"));

        Assert.Equal(["shipments:write shipments:read trade:read shipments:admin trade:admin offline_access", "trade:read"], device.DeviceScopes);
        Assert.Contains("--scope does not ask for offline_access", run.Error.ToString());
    }

    [Fact]
    public async Task A_denied_sign_in_saves_nothing()
    {
        _provider.TokenAnswers.Enqueue((HttpStatusCode.BadRequest, FakeIdentityProvider.Error("access_denied")));
        var run = Run();

        Assert.Equal(1, await run.RunAsync("login", "--authority", Authority));

        Assert.Contains("The sign-in was denied", run.Error.ToString());
        Assert.False(File.Exists(LoginFile));
    }

    [Fact]
    public async Task Ctrl_C_while_waiting_for_the_approval_stops_the_sign_in_and_saves_nothing()
    {
        for (var i = 0; i < 10; i++) _provider.TokenAnswers.Enqueue((HttpStatusCode.BadRequest, FakeIdentityProvider.Error("authorization_pending")));
        using var ctrlC = new CancellationTokenSource();
        var run = Run();
        run.IdentityProvider = new CancelOnSecondPoll(_provider, ctrlC);
        run.Cancellation = ctrlC.Token;

        Assert.Equal(ExitCodes.Cancelled, await run.RunAsync("login", "--authority", Authority));

        Assert.Contains("Cancelled.", run.Error.ToString());
        Assert.Equal(2, _provider.TokenRequests.Count);
        Assert.False(File.Exists(LoginFile));
    }

    [Fact]
    public async Task A_sign_in_about_to_expire_is_renewed_before_the_call_and_written_back()
    {
        SignedIn(TimeSpan.FromSeconds(50));
        _provider.TokenAnswers.Enqueue((HttpStatusCode.OK, FakeIdentityProvider.Tokens("trader", "energytrade-cli", "shipments:read trade:read offline_access",
            expiresIn: 300, refreshToken: "refresh-2")));
        var run = Run();

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));

        var request = Assert.Single(_provider.TokenRequests);
        Assert.Equal(("refresh_token", "refresh-1", "energytrade-cli"), (request["grant_type"], request["refresh_token"], request["client_id"]));
        var cached = Read(LoginFile);
        Assert.Equal("refresh-2", cached.GetProperty("refresh_token").GetString());
        Assert.Equal(_clock.Now.AddSeconds(300), cached.GetProperty("expires_at").GetDateTimeOffset());
        FileModes.AssertOwnerOnly(LoginFile);
        Assert.Equal($"Bearer {cached.GetProperty("access_token").GetString()}", Assert.Single(run.Server.Calls).Authorization);
    }

    [Fact]
    public async Task A_sign_in_with_more_than_a_minute_left_is_used_as_it_is()
    {
        SignedIn(TimeSpan.FromSeconds(70));
        var run = Run();

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));

        Assert.Empty(_provider.TokenRequests);
        Assert.Equal("Bearer access-1", Assert.Single(run.Server.Calls).Authorization);
    }

    [Fact]
    public async Task A_sign_in_the_provider_no_longer_honours_says_to_sign_in_again_and_sends_nothing()
    {
        SignedIn(TimeSpan.FromSeconds(-10));
        _provider.TokenAnswers.Enqueue((HttpStatusCode.BadRequest, FakeIdentityProvider.Error("invalid_grant", "The refresh token is no longer valid.")));
        var run = Run();

        Assert.Equal(ExitCodes.NotSignedIn, await run.RunAsync("trade", "totals", "AZ", "BY"));

        Assert.Contains("Your sign-in has expired", run.Error.ToString());
        Assert.Contains("run energytrade login", run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task A_long_run_renews_its_token_before_each_call_that_would_carry_an_expired_one()
    {
        SignedIn(TimeSpan.FromMinutes(5));
        _provider.TokenAnswers.Enqueue((HttpStatusCode.OK, FakeIdentityProvider.Tokens("trader", "energytrade-cli", "trade:read", refreshToken: "refresh-2")));
        var run = Run();
        using var tls = new TlsFiles(new Setting(ConfigKey.CaFile, null, Setting.UnsetSource), new Setting(ConfigKey.ClientCertificate, null, Setting.UnsetSource),
            new Setting(ConfigKey.ClientKey, null, Setting.UnsetSource));
        var variables = new Dictionary<string, string> { ["ENERGYTRADE_CONFIG_DIR"] = _home.File("config") };
        var profile = ConfigProfile.Load(null, name => variables.GetValueOrDefault(name));
        var environment = new CliEnvironment
        {
            Out = CliRun.Console(new StringWriter()),
            Error = CliRun.Console(new StringWriter()),
            RawOut = new StringWriter(),
            Variables = name => variables.GetValueOrDefault(name),
            Clock = _clock,
            IdentityHttp = () => new RecordingHandler(_provider),
        };
        using var tokens = new TokenSource(SignInConfig.Resolve(profile, tls), environment);
        await tokens.PrepareAsync(CancellationToken.None);

        Assert.Equal("access-1", tokens.TokenFor(["trade:read"]));
        _clock.Now += TimeSpan.FromMinutes(4.5);
        var renewed = tokens.TokenFor(["trade:read"]);

        Assert.NotEqual("access-1", renewed);
        Assert.Equal(renewed, Read(LoginFile).GetProperty("access_token").GetString());
        Assert.Equal(renewed, tokens.TokenFor(["trade:read"]));
        Assert.Single(_provider.TokenRequests);
    }

    [Fact]
    public async Task The_token_comes_from_the_environment_then_client_credentials_then_the_cached_sign_in_then_the_development_key()
    {
        var run = Run();
        async Task<string> Source()
        {
            Assert.Equal(0, await run.RunAsync("whoami", "--output", "json"));
            return Json(run).GetProperty("source").GetString()!;
        }

        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "local-development-signing-key-0123456789";
        Assert.Equal("development_key", await Source());
        SignedIn(TimeSpan.FromMinutes(10));
        Assert.Equal("login", await Source());
        run.Variables["ENERGYTRADE_CLIENT_ID"] = "energytrade-reader";
        run.Variables["ENERGYTRADE_CLIENT_SECRET"] = "reader-secret";
        run.Variables["ENERGYTRADE_AUTHORITY"] = Authority;
        _provider.TokenAnswers.Enqueue((HttpStatusCode.OK, FakeIdentityProvider.Tokens("energytrade-reader", "energytrade-reader", "shipments:read trade:read")));
        Assert.Equal("client_credentials", await Source());
        run.Variables["ENERGYTRADE_TOKEN"] = FakeIdentityProvider.AccessToken("someone", "elsewhere", "trade:read", TimeSpan.FromMinutes(5));
        Assert.Equal("environment_token", await Source());
        Assert.Equal("someone", Json(run).GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Scripts_with_a_client_in_the_environment_fetch_one_token_for_several_commands()
    {
        var run = Run();
        run.Variables["ENERGYTRADE_CLIENT_ID"] = "energytrade-reader";
        run.Variables["ENERGYTRADE_CLIENT_SECRET"] = "reader-secret";
        run.Variables["ENERGYTRADE_AUTHORITY"] = Authority;
        for (var i = 0; i < 3; i++)
        {
            _provider.TokenAnswers.Enqueue((HttpStatusCode.OK, FakeIdentityProvider.Tokens("energytrade-reader", "energytrade-reader", "shipments:read trade:read")));
        }

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));
        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));
        Assert.Single(_provider.TokenRequests);
        var cache = _home.File("config", "tokens", "default.client-credentials.json");
        FileModes.AssertOwnerOnly(cache);
        Assert.DoesNotContain("reader-secret", File.ReadAllText(cache));

        // Less than a minute left: the next command fetches a new one.
        _clock.Now += TimeSpan.FromMinutes(14.5);
        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));
        Assert.Equal(2, _provider.TokenRequests.Count);
        // Another secret is another credential: the provider decides again whether it is good.
        run.Variables["ENERGYTRADE_CLIENT_SECRET"] = "another-secret";
        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));
        Assert.Equal(3, _provider.TokenRequests.Count);
        Assert.Equal(3, run.Server.Calls.Select(c => c.Authorization).Distinct().Count());
    }

    [Fact]
    public async Task A_client_secret_without_its_client_or_authority_is_a_usage_error_saying_which()
    {
        var run = Run();
        run.Variables["ENERGYTRADE_CLIENT_SECRET"] = "reader-secret";

        Assert.Equal(2, await run.RunAsync("trade", "totals", "AZ", "BY"));
        Assert.Contains("set ENERGYTRADE_CLIENT_ID", run.Error.ToString());
        run.Variables["ENERGYTRADE_CLIENT_ID"] = "energytrade-reader";
        Assert.Equal(2, await run.RunAsync("trade", "totals", "AZ", "BY"));
        Assert.Contains("energytrade config set authority", run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task Whoami_shows_who_with_what_until_when()
    {
        SignedIn(TimeSpan.FromMinutes(10));
        var run = Run();

        Assert.Equal(0, await run.RunAsync("whoami", "--output", "json"));
        var json = Json(run);
        Assert.Equal(("default", "login", Authority, "energytrade-cli", "trader"), (json.GetProperty("profile").GetString(), json.GetProperty("source").GetString(),
            json.GetProperty("authority").GetString(), json.GetProperty("clientId").GetString(), json.GetProperty("subject").GetString()));
        Assert.Equal(["shipments:read", "shipments:write", "trade:read", "offline_access"], json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(600, json.GetProperty("expiresInSeconds").GetInt64());
        Assert.True(json.GetProperty("renewable").GetBoolean());

        Assert.Equal(0, await run.RunAsync("whoami"));
        Assert.Contains("trader", run.Out.ToString());
        Assert.Contains("in 10 min (", run.Out.ToString());
        Assert.Contains("the cached sign-in of energytrade login", run.Out.ToString());
    }

    [Fact]
    public async Task Whoami_without_credentials_exits_not_signed_in_and_says_to_log_in()
    {
        var run = Run();

        Assert.Equal(ExitCodes.NotSignedIn, await run.RunAsync("whoami"));

        Assert.Contains("Not signed in: run energytrade login", run.Error.ToString());
    }

    [Fact]
    public async Task Logout_revokes_the_refresh_token_and_deletes_the_cached_sign_in()
    {
        SignedIn(TimeSpan.FromMinutes(10));
        var run = Run();

        Assert.Equal(0, await run.RunAsync("logout"));

        var revocation = Assert.Single(_provider.Revocations);
        Assert.Equal(("refresh-1", "refresh_token", "energytrade-cli"), (revocation["token"], revocation["token_type_hint"], revocation["client_id"]));
        Assert.False(File.Exists(LoginFile));
        Assert.Contains("Signed out trader through client energytrade-cli", run.Out.ToString());
        Assert.Contains("its refresh token is revoked", run.Out.ToString());
        Assert.Equal(0, await run.RunAsync("logout"));
        Assert.Contains("Not signed in; nothing to do.", run.Out.ToString());
    }

    [Fact]
    public async Task A_service_refusing_the_token_exits_not_signed_in_naming_the_token()
    {
        SignedIn(TimeSpan.FromMinutes(10));
        var run = Run();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals,
            _ => throw new RpcException(new Status(StatusCode.Unauthenticated, "")));

        Assert.Equal(ExitCodes.NotSignedIn, await run.RunAsync("trade", "totals", "AZ", "BY"));

        Assert.Contains("refused the token of trader through client energytrade-cli (the cached sign-in of energytrade login)", run.Error.ToString());
        Assert.Contains("energytrade login", run.Error.ToString());
    }

    [Fact]
    public async Task A_service_refusing_for_a_missing_scope_names_the_scopes_the_token_carried()
    {
        SignedIn(TimeSpan.FromMinutes(10));
        var run = Run();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals,
            _ => throw new RpcException(new Status(StatusCode.PermissionDenied, "")));

        Assert.Equal(1, await run.RunAsync("trade", "totals", "AZ", "BY"));

        Assert.Contains("carrying shipments:read shipments:write trade:read offline_access", run.Error.ToString());
    }

    public void Dispose()
    {
        _provider.Dispose();
        _home.Dispose();
    }

    /// <summary>Presses Ctrl-C once the provider has been polled twice.</summary>
    private sealed class CancelOnSecondPoll(HttpMessageHandler inner, CancellationTokenSource ctrlC) : DelegatingHandler(inner)
    {
        private int _polls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath == "/token" && ++_polls == 2) await ctrlC.CancelAsync();
            return response;
        }

        protected override void Dispose(bool disposing)
        {
            // The fake provider belongs to the test.
        }
    }

    /// <summary>Notes the scope of each device authorization request on its way to the fake provider.</summary>
    private sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public List<string> DeviceScopes { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/device")
            {
                var form = await request.Content!.ReadAsStringAsync(cancellationToken);
                DeviceScopes.Add(WebUtility.UrlDecode(form.Split('&').Single(p => p.StartsWith("scope=", StringComparison.Ordinal))["scope=".Length..]));
            }
            return await base.SendAsync(request, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            // The fake provider belongs to the test.
        }
    }
}
