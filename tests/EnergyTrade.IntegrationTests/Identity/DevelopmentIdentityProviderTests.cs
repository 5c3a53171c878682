using System.Net;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using static EnergyTrade.Testing.IdentityProviderUnderTest;

namespace EnergyTrade.IntegrationTests.Identity;

/// <summary>The development identity provider, as its clients and the services see it: over HTTP, by the protocol.</summary>
[Trait("Category", "Integration")]
public sealed class DevelopmentIdentityProviderTests(SharedIdentityProvider shared) : IClassFixture<SharedIdentityProvider>
{
    private const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private IdentityProviderUnderTest Idp => shared.Provider;

    [Fact]
    public async Task Discovery_lists_the_grants_the_scopes_and_a_signing_key_per_key_file()
    {
        var discovery = await Idp.DiscoverAsync();

        Assert.Equal(Idp.BaseUrl.ToString(), discovery.Issuer);
        Assert.Superset(new HashSet<string> { "client_credentials", DeviceCodeGrant, "refresh_token" }, discovery.GrantTypesSupported.ToHashSet());
        Assert.Superset(Scopes.All.ToHashSet(), discovery.ScopesSupported.ToHashSet());
        Assert.NotNull(discovery.DeviceAuthorizationEndpoint);
        var key = Assert.Single(discovery.KeySet!.Keys);
        Assert.Equal(("RSA", "RS256", "sig"), (key.Kty, key.Alg, key.Use));
        Assert.Equal(HttpStatusCode.OK, (await Idp.Http.GetAsync(new Uri(Idp.BaseUrl, "/health/live"))).StatusCode);
    }

    [Theory]
    [InlineData(Reader, "shipments:read trade:read")]
    [InlineData(Importer, "shipments:read shipments:write trade:read")]
    [InlineData(Admin, "shipments:read shipments:write trade:read shipments:admin trade:admin")]
    public async Task Each_seeded_client_gets_an_RS256_token_for_energytrade_with_the_scopes_it_is_registered_for(string clientId, string scopes)
    {
        var response = await Idp.ClientCredentialsAsync(clientId);

        Assert.False(response.IsError, $"{response.Error}: {response.ErrorDescription}");
        var token = Read(response.AccessToken!);
        Assert.Equal("RS256", token.Alg);
        Assert.Contains(token.Kid, (await Idp.DiscoverAsync()).KeySet!.Keys.Select(k => k.Kid));
        Assert.Equal(Idp.BaseUrl.ToString(), token.Issuer);
        Assert.Equal(new[] { TokenAudience.Value }, token.Audiences);
        Assert.Equal(clientId, token.Subject);
        Assert.Equal(clientId, token.GetClaim("client_id").Value);
        Assert.Equal(clientId, token.GetClaim("azp").Value);
        // One space-separated string, as RFC 9068 and the services read it.
        Assert.True(token.TryGetPayloadValue<string>("scope", out var scope));
        Assert.Equal(scopes.Split(' ').Order(), scope.Split(' ').Order());
        Assert.Equal(TimeSpan.FromMinutes(15), token.ValidTo - token.IssuedAt);
        var validation = await Idp.ValidateAsync(response.AccessToken!);
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public async Task A_client_asking_for_some_of_its_scopes_gets_only_those()
    {
        var response = await Idp.ClientCredentialsAsync(Importer, scope: Scopes.ShipmentsRead);

        Assert.False(response.IsError, response.Error);
        Assert.Equal(Scopes.ShipmentsRead, Read(response.AccessToken!).GetClaim("scope").Value);
    }

    [Fact]
    public async Task A_wrong_secret_is_an_invalid_client()
    {
        var response = await Idp.ClientCredentialsAsync(Reader, secret: Secret(Admin));

        // A 401 (the secret went in the Authorization header), which Duende reports as an HTTP error: the body has the OAuth one.
        Assert.Equal(HttpStatusCode.Unauthorized, response.HttpStatusCode);
        Assert.Equal("invalid_client", response.TryGet("error"));
        Assert.Null(response.AccessToken);
    }

    [Fact]
    public async Task A_scope_outside_the_clients_registration_is_refused()
    {
        var response = await Idp.ClientCredentialsAsync(Reader, scope: $"{Scopes.ShipmentsRead} {Scopes.ShipmentsWrite}");

        Assert.True(response.IsError);
        // OpenIddict's answer when a client asks beyond its permissions (ID2051).
        Assert.Equal("invalid_request", response.Error);
        Assert.Null(response.AccessToken);
    }

    [Fact]
    public async Task The_device_flow_gives_a_person_what_they_asked_for_within_their_roles_and_a_refresh_token_that_works()
    {
        var device = await Idp.StartDeviceSignInAsync($"{Scopes.ShipmentsRead} {Scopes.ShipmentsWrite} {Scopes.TradeAdmin} offline_access");
        Assert.Equal("authorization_pending", (await Idp.RedeemDeviceCodeAsync(device.DeviceCode!)).Error);

        // What the person sees on following the link their terminal shows: the request, and a labelled form.
        var page = await Idp.Http.GetStringAsync(device.VerificationUriComplete);
        Assert.Contains(Scopes.TradeAdmin, page);
        foreach (var field in new[] { "user_code", "username", "password" }) Assert.Contains($"""<label for="{field}">""", page);

        using (var wrong = await Idp.SubmitVerificationAsync(new Uri(device.VerificationUri!), device.UserCode!, "approve", "trader", "not-the-password"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        Assert.Equal("authorization_pending", (await Idp.RedeemDeviceCodeAsync(device.DeviceCode!)).Error);

        using (var approved = await Idp.SubmitVerificationAsync(new Uri(device.VerificationUri!), device.UserCode!, "approve", "trader", Password("trader")))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
            Assert.EndsWith("/connect/verify/approved", approved.RequestMessage!.RequestUri!.AbsolutePath);
        }
        var tokens = await Idp.RedeemDeviceCodeAsync(device.DeviceCode!);

        Assert.False(tokens.IsError, $"{tokens.Error}: {tokens.ErrorDescription}");
        // A trader may write but not operate Trade: trade:admin is dropped, the rest granted.
        var expected = new[] { Scopes.ShipmentsRead, Scopes.ShipmentsWrite, "offline_access" }.Order();
        AssertPersonToken(tokens.AccessToken!, "trader", expected);
        Assert.True((await Idp.ValidateAsync(tokens.AccessToken!)).IsValid);
        Assert.NotNull(tokens.RefreshToken);

        var refreshed = await Idp.RefreshAsync(tokens.RefreshToken!);

        Assert.False(refreshed.IsError, $"{refreshed.Error}: {refreshed.ErrorDescription}");
        AssertPersonToken(refreshed.AccessToken!, "trader", expected);
        Assert.NotNull(refreshed.RefreshToken);
        // A device code is redeemed once.
        Assert.True((await Idp.RedeemDeviceCodeAsync(device.DeviceCode!)).IsError);
    }

    [Fact]
    public async Task A_denied_device_request_gives_access_denied()
    {
        var device = await Idp.StartDeviceSignInAsync(Scopes.ShipmentsRead);

        using (var denied = await Idp.SubmitVerificationAsync(new Uri(device.VerificationUri!), device.UserCode!, "deny"))
        {
            Assert.EndsWith("/connect/verify/denied", denied.RequestMessage!.RequestUri!.AbsolutePath);
        }
        var tokens = await Idp.RedeemDeviceCodeAsync(device.DeviceCode!);

        Assert.Equal("access_denied", tokens.Error);
        Assert.Null(tokens.AccessToken);
    }

    [Fact]
    public async Task A_person_whose_roles_allow_nothing_asked_for_cannot_approve()
    {
        var device = await Idp.StartDeviceSignInAsync(Scopes.ShipmentsAdmin);

        using var refused = await Idp.SubmitVerificationAsync(new Uri(device.VerificationUri!), device.UserCode!, "approve", "analyst", Password("analyst"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("authorization_pending", (await Idp.RedeemDeviceCodeAsync(device.DeviceCode!)).Error);
    }

    [Fact]
    public async Task An_unknown_user_code_is_refused_on_the_page()
    {
        using var response = await Idp.Http.GetAsync(new Uri(Idp.BaseUrl, "/connect/verify?user_code=0000-0000-0000"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_issued_before_a_restart_is_still_valid_after_it()
    {
        await using var idp = await IdentityProviderUnderTest.StartAsync("idp_restart");
        var before = await idp.ClientCredentialsAsync(Reader);
        var keyFile = Assert.Single(Directory.GetFiles(idp.KeysPath, "*.pem"));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));

        await idp.RestartAsync();

        var validation = await idp.ValidateAsync(before.AccessToken!);
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var after = await idp.ClientCredentialsAsync(Reader);
        Assert.Equal(Read(before.AccessToken!).Kid, Read(after.AccessToken!).Kid);
        Assert.Equal(keyFile, Assert.Single(Directory.GetFiles(idp.KeysPath, "*.pem")));
    }

    [Fact]
    public async Task A_key_file_added_before_a_restart_signs_new_tokens_while_the_old_key_stays_published()
    {
        await using var idp = await IdentityProviderUnderTest.StartAsync("idp_rotate");
        var before = await idp.ClientCredentialsAsync(Reader);
        var newKeyId = idp.AddSigningKey();

        await idp.RestartAsync();

        var after = await idp.ClientCredentialsAsync(Reader);
        Assert.Equal(newKeyId, Read(after.AccessToken!).Kid);
        var published = (await idp.DiscoverAsync()).KeySet!.Keys.Select(k => k.Kid!).ToHashSet();
        Assert.Equal(new HashSet<string> { Read(before.AccessToken!).Kid, newKeyId }, published);
        Assert.True((await idp.ValidateAsync(before.AccessToken!)).IsValid);
        Assert.True((await idp.ValidateAsync(after.AccessToken!)).IsValid);
    }

    [Fact]
    public async Task A_confidential_client_without_its_secret_stops_the_provider_naming_the_setting()
    {
        await using var database = await TestDatabase.NameAsync("idp_nosecret");
        await using var process = ServiceProcess.Start("Identity", new Dictionary<string, string>
        {
            ["ConnectionStrings__Identity"] = database.ConnectionString,
            ["Identity__AllowHttp"] = "true",
            ["Identity__Clients__energytrade-importer__Secret"] = "importer-secret",
            ["Identity__Clients__energytrade-admin__Secret"] = "admin-secret",
            ["Identity__Clients__energytrade-web__Secret"] = "web-secret",
        });

        Assert.NotEqual(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Identity__Clients__energytrade-reader__Secret", process.RecentLog());
    }

    [Fact]
    public async Task Plain_http_is_refused_on_an_address_beyond_loopback()
    {
        await using var database = await TestDatabase.NameAsync("idp_http");
        await using var process = ServiceProcess.Start("Identity", new Dictionary<string, string>
        {
            ["ConnectionStrings__Identity"] = database.ConnectionString,
            ["Identity__AllowHttp"] = "true",
            ["Kestrel__Endpoints__Http__Url"] = $"http://0.0.0.0:{ServiceProcess.FreePort()}",
            ["Identity__Clients__energytrade-reader__Secret"] = "reader-secret",
            ["Identity__Clients__energytrade-importer__Secret"] = "importer-secret",
            ["Identity__Clients__energytrade-admin__Secret"] = "admin-secret",
            ["Identity__Clients__energytrade-web__Secret"] = "web-secret",
            ["Identity__Users__analyst__Password"] = "p",
            ["Identity__Users__trader__Password"] = "p",
            ["Identity__Users__admin__Password"] = "p",
        });

        Assert.NotEqual(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Kestrel:Endpoints:Http:Url", process.RecentLog());
    }

    private static void AssertPersonToken(string accessToken, string user, IEnumerable<string> scopes)
    {
        var token = Read(accessToken);
        Assert.Equal(user, token.Subject);
        Assert.Equal(Cli, token.GetClaim("client_id").Value);
        Assert.Equal(Cli, token.GetClaim("azp").Value);
        Assert.Equal(new[] { TokenAudience.Value }, token.Audiences);
        Assert.Equal(scopes, token.GetClaim("scope").Value.Split(' ').Order());
    }
}
