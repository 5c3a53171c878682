using Xunit;
using System.Security.Cryptography;
using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.Testing;

/// <summary>
/// The development identity provider as a process, on a database and a keys folder of its own, with fresh
/// secrets and passwords for its seeded clients and users; restartable on the same ports, database and keys.
/// Talked to over HTTP like any client would, through Duende.IdentityModel.
/// </summary>
public sealed class IdentityProviderUnderTest : IAsyncDisposable
{
    public const string Reader = "energytrade-reader";
    public const string Importer = "energytrade-importer";
    public const string Admin = "energytrade-admin";
    public const string Cli = "energytrade-cli";
    /// <summary>The analysts' page: people sign in through it (authorization code), and it reads as itself.</summary>
    public const string Web = "energytrade-web";

    private readonly Dictionary<string, string> _environment;
    private readonly TestDatabase _database;

    private IdentityProviderUnderTest(TestDatabase database, string keysPath)
    {
        _database = database;
        KeysPath = keysPath;
        _environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Identity"] = database.ConnectionString,
            ["Identity__KeysPath"] = keysPath,
            ["Identity__AllowHttp"] = "true",
        };
        foreach (var client in new[] { Reader, Importer, Admin, Web }) _environment[$"Identity__Clients__{client}__Secret"] = Secret(client);
        foreach (var user in new[] { "analyst", "trader", "admin" }) _environment[$"Identity__Users__{user}__Password"] = Password(user);
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public ServiceProcess Process { get; private set; } = null!;
    public string KeysPath { get; }
    public HttpClient Http { get; }
    /// <summary>Where clients reach the provider; with Identity:Issuer unset, also every token's "iss".</summary>
    public Uri BaseUrl => Process.HttpUrl;
    /// <summary>Configuration that makes a service trust this provider.</summary>
    public Dictionary<string, string> ServiceEnvironment => TestAuth.TrustingProvider(BaseUrl);

    public static async Task<IdentityProviderUnderTest> StartAsync(string purpose, IReadOnlyDictionary<string, string>? environment = null)
    {
        var keys = Directory.CreateTempSubdirectory("energytrade-idp-keys-").FullName;
        var provider = new IdentityProviderUnderTest(await TestDatabase.NameAsync(purpose), keys);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) provider._environment[key] = value;
        provider.Process = ServiceProcess.Start("Identity", provider._environment);
        await provider.Process.WaitReadyAsync();
        return provider;
    }

    /// <summary>SIGTERM, then a new process on the same ports (so the issuer stays the same), database and keys.</summary>
    public async Task RestartAsync()
    {
        var (grpcPort, httpPort) = (Process.GrpcUrl.Port, Process.HttpUrl.Port);
        await Process.StopAsync();
        await Process.DisposeAsync();
        Process = ServiceProcess.Start("Identity", _environment, grpcPort, httpPort);
        await Process.WaitReadyAsync();
    }

    public static string Secret(string clientId) => $"{clientId}-secret-{Secrets.Value}";
    public static string Password(string user) => $"{user}-password-{Secrets.Value}";

    public async Task<DiscoveryDocumentResponse> DiscoverAsync()
    {
        var discovery = await Http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = BaseUrl.ToString(),
            Policy = { RequireHttps = false },
        });
        Assert.False(discovery.IsError, $"discovery: {discovery.Error}\n{Process.RecentLog()}");
        return discovery;
    }

    public async Task<TokenResponse> ClientCredentialsAsync(string clientId, string? scope = null, string? secret = null)
    {
        var discovery = await DiscoverAsync();
        return await Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = clientId,
            ClientSecret = secret ?? Secret(clientId),
            Scope = scope,
        });
    }

    /// <summary>RFC 8628 §3.1: the CLI asks to sign a person in and gets the code to show them.</summary>
    public async Task<DeviceAuthorizationResponse> StartDeviceSignInAsync(string scope)
    {
        var discovery = await DiscoverAsync();
        var response = await Http.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest
        {
            Address = discovery.DeviceAuthorizationEndpoint,
            ClientId = Cli,
            Scope = scope,
        });
        Assert.False(response.IsError, $"device authorization: {response.Error} {response.ErrorDescription}");
        return response;
    }

    /// <summary>What a browser sends when the person submits the verification page; redirects are followed.</summary>
    public async Task<HttpResponseMessage> SubmitVerificationAsync(Uri verificationUri, string userCode, string decision,
        string? userName = null, string? password = null)
    {
        var form = new Dictionary<string, string> { ["user_code"] = userCode, ["decision"] = decision };
        if (userName is not null) form["username"] = userName;
        if (password is not null) form["password"] = password;
        return await Http.PostAsync(verificationUri, new FormUrlEncodedContent(form));
    }

    /// <summary>One poll of the token endpoint with the device code (RFC 8628 §3.4).</summary>
    public async Task<TokenResponse> RedeemDeviceCodeAsync(string deviceCode)
    {
        var discovery = await DiscoverAsync();
        return await Http.RequestDeviceTokenAsync(new DeviceTokenRequest { Address = discovery.TokenEndpoint, ClientId = Cli, DeviceCode = deviceCode });
    }

    public async Task<TokenResponse> RefreshAsync(string refreshToken)
    {
        var discovery = await DiscoverAsync();
        return await Http.RequestRefreshTokenAsync(new RefreshTokenRequest { Address = discovery.TokenEndpoint, ClientId = Cli, RefreshToken = refreshToken });
    }

    /// <summary>The provider's published keys, read from its JWKS as a service would.</summary>
    public async Task<IList<SecurityKey>> PublishedKeysAsync()
    {
        var discovery = await DiscoverAsync();
        return new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await Http.GetStringAsync(discovery.JwksUri)).GetSigningKeys();
    }

    /// <summary>Validates an access token as the services do: signature against the JWKS, issuer, audience, lifetime, RS256.</summary>
    public async Task<TokenValidationResult> ValidateAsync(string accessToken)
    {
        var discovery = await DiscoverAsync();
        return await new JsonWebTokenHandler().ValidateTokenAsync(accessToken, new TokenValidationParameters
        {
            ValidIssuer = discovery.Issuer,
            ValidAudience = EnergyTrade.Contracts.Security.TokenAudience.Value,
            IssuerSigningKeys = await PublishedKeysAsync(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
    }

    public static JsonWebToken Read(string token) => new(token);

    /// <summary>Writes a new RSA signing key into the keys folder, as an operator rotating keys would; returns its "kid".</summary>
    public string AddSigningKey()
    {
        using var rsa = RSA.Create(2048);
        var path = Path.Combine(KeysPath, $"signing-added-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        // Newer than the key the provider created, even on a file system with coarse timestamps.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var publicKey = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
        return Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(publicKey).ComputeJwkThumbprint());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (Process is not null) await Process.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(KeysPath, recursive: true);
    }

    private static class Secrets
    {
        /// <summary>Fresh for each test run, so no test leans on a value written down anywhere.</summary>
        public static readonly string Value = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
    }
}
