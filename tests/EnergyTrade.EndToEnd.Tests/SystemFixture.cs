using EnergyTrade.Client.Auth;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EnergyTrade.EndToEnd.Tests;

/// <summary>
/// The running system. With ENERGYTRADE_E2E_SHIPMENTS_URL and ENERGYTRADE_E2E_TRADE_URL set (e.g. a
/// docker compose stack) the tests use it as it is, with a token from ENERGYTRADE_E2E_TOKEN, or by client
/// credentials from the stack's identity provider (ENERGYTRADE_E2E_AUTHORITY, _CLIENT_ID, _CLIENT_SECRET),
/// or minted with ENERGYTRADE_E2E_SIGNING_KEY for a stack in local-development token mode. Otherwise the
/// development identity provider and both services are started here as processes, on databases and a
/// RabbitMQ virtual host of their own, the services trusting only the provider's tokens, as scripts/up.sh runs them.
/// </summary>
public sealed class SystemFixture : IAsyncLifetime
{
    public const string ShipmentsUrlVariable = "ENERGYTRADE_E2E_SHIPMENTS_URL";
    public const string TradeUrlVariable = "ENERGYTRADE_E2E_TRADE_URL";
    /// <summary>Against a running stack: a bearer token with all scopes, or the stack's signing key and issuer to mint one.</summary>
    public const string TokenVariable = "ENERGYTRADE_E2E_TOKEN";
    public const string AuthorityVariable = "ENERGYTRADE_E2E_AUTHORITY";
    public const string ClientIdVariable = "ENERGYTRADE_E2E_CLIENT_ID";
    public const string ClientSecretVariable = "ENERGYTRADE_E2E_CLIENT_SECRET";
    public const string SigningKeyVariable = "ENERGYTRADE_E2E_SIGNING_KEY";
    public const string IssuerVariable = "ENERGYTRADE_E2E_ISSUER";

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly IReadOnlyDictionary<string, string>? _providerEnvironment;

    public SystemFixture() : this(null)
    {
    }

    /// <param name="providerEnvironment">Added to the identity provider's configuration on a fresh system (e.g. a client's redirect address).</param>
    internal SystemFixture(IReadOnlyDictionary<string, string>? providerEnvironment) => _providerEnvironment = providerEnvironment;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private GrpcChannel? _shipmentsChannel;
    private GrpcChannel? _tradeChannel;

    public ShipmentService.ShipmentServiceClient Shipments { get; private set; } = null!;
    public TradeService.TradeServiceClient Trade { get; private set; } = null!;
    public GrpcChannel ShipmentsChannel => _shipmentsChannel!;
    public GrpcChannel TradeChannel => _tradeChannel!;

    /// <summary>True when this fixture started the services on empty databases (so absolute totals are known).</summary>
    public bool FreshSystem { get; private set; }
    public Uri ShipmentsUrl { get; private set; } = null!;
    public Uri TradeUrl { get; private set; } = null!;
    /// <summary>The identity provider this fixture started, on a fresh system; null against a running stack.</summary>
    public IdentityProviderUnderTest? Provider { get; private set; }

    public async Task InitializeAsync()
    {
        var shipmentsUrl = Environment.GetEnvironmentVariable(ShipmentsUrlVariable);
        var tradeUrl = Environment.GetEnvironmentVariable(TradeUrlVariable);
        CallCredentials credentials;
        if (string.IsNullOrEmpty(shipmentsUrl) || string.IsNullOrEmpty(tradeUrl))
        {
            var provider = await IdentityProviderUnderTest.StartAsync("e2e_identity", _providerEnvironment);
            _owned.Add(provider);
            Provider = provider;
            (shipmentsUrl, tradeUrl) = await StartServicesAsync(provider.BaseUrl);
            credentials = new ClientCredentialsTokens(_http, provider.BaseUrl, IdentityProviderUnderTest.Admin,
                IdentityProviderUnderTest.Secret(IdentityProviderUnderTest.Admin)).CallCredentials();
            FreshSystem = true;
        }
        else
        {
            credentials = RunningStackCredentials();
        }
        (ShipmentsUrl, TradeUrl) = (new Uri(shipmentsUrl), new Uri(tradeUrl));
        _shipmentsChannel = TestAuth.Channel(new Uri(shipmentsUrl), credentials);
        _tradeChannel = TestAuth.Channel(new Uri(tradeUrl), credentials);
        Shipments = new ShipmentService.ShipmentServiceClient(_shipmentsChannel);
        Trade = new TradeService.TradeServiceClient(_tradeChannel);
        await WarmUpAsync();
    }

    /// <summary>
    /// A first authenticated call to each service, with time to spare: it fetches a token and has each service read the
    /// provider's keys, which on a slow CI day, with another collection's system starting beside this one, took longer
    /// than the 10 s the tests give a call.
    /// </summary>
    private async Task WarmUpAsync()
    {
        await Shipments.ListShipmentsAsync(new ListShipmentsRequest { PageSize = 1 }, Proto.Deadline(90));
        await Trade.ListPartnersAsync(new ListPartnersRequest { Country = "AZ", FirstMonth = Proto.Month(2020, 1), LastMonth = Proto.Month(2020, 1) }, Proto.Deadline(90));
    }

    private CallCredentials RunningStackCredentials()
    {
        string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        if (Variable(TokenVariable) is { } token) return TestAuth.Bearer(token);
        if (Variable(AuthorityVariable) is { } authority)
        {
            var clientId = Variable(ClientIdVariable) ?? IdentityProviderUnderTest.Admin;
            var secret = Variable(ClientSecretVariable)
                ?? throw new InvalidOperationException($"{AuthorityVariable} is set but {ClientSecretVariable} is not: give the secret of client {clientId}.");
            return new ClientCredentialsTokens(_http, new Uri(authority), clientId, secret).CallCredentials();
        }
        if (Variable(SigningKeyVariable) is { } key)
        {
            return TestAuth.Bearer(TestAuth.Token(signingKey: key, issuer: Variable(IssuerVariable) ?? "energytrade-local", lifetime: TimeSpan.FromHours(12)));
        }
        throw new InvalidOperationException(
            $"{ShipmentsUrlVariable} and {TradeUrlVariable} name a running stack, but no credentials are given: set {TokenVariable}, " +
            $"or {AuthorityVariable} with {ClientIdVariable} and {ClientSecretVariable} (a client with every scope, e.g. energytrade-admin).");
    }

    private async Task<(string, string)> StartServicesAsync(Uri authority)
    {
        var vhost = await TestVirtualHost.CreateAsync("e2e");
        var shipmentsDb = await TestDatabase.NameAsync("e2e_shipments");
        var tradeDb = await TestDatabase.NameAsync("e2e_trade");
        _owned.AddRange([vhost, shipmentsDb, tradeDb]);
        var trustTheProvider = TestAuth.TrustingProvider(authority);

        var shipments = ServiceProcess.Start("Shipments", new Dictionary<string, string>(trustTheProvider)
        {
            ["ConnectionStrings__Shipments"] = shipmentsDb.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.AmqpUri.ToString(),
        });
        var trade = ServiceProcess.Start("Trade", new Dictionary<string, string>(trustTheProvider)
        {
            ["ConnectionStrings__Trade"] = tradeDb.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.AmqpUri.ToString(),
        });
        // Disposed first (list is disposed in reverse), before their database and vhost.
        _owned.AddRange([shipments, trade]);
        await Task.WhenAll(shipments.WaitReadyAsync(), trade.WaitReadyAsync());
        return (shipments.GrpcUrl.ToString(), trade.GrpcUrl.ToString());
    }

    public async Task DisposeAsync()
    {
        _shipmentsChannel?.Dispose();
        _tradeChannel?.Dispose();
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
        _http.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>
{
    public const string Name = "system";
}
