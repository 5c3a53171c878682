using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Net.Client;

namespace EnergyTrade.EndToEnd.Tests;

/// <summary>
/// The running system. With ENERGYTRADE_E2E_SHIPMENTS_URL and ENERGYTRADE_E2E_TRADE_URL set (e.g. a
/// docker compose stack) the tests use it as it is, with a token from ENERGYTRADE_E2E_TOKEN or minted
/// with ENERGYTRADE_E2E_SIGNING_KEY; otherwise both services are started here as
/// processes on their own database and RabbitMQ virtual host.
/// </summary>
public sealed class SystemFixture : IAsyncLifetime
{
    public const string ShipmentsUrlVariable = "ENERGYTRADE_E2E_SHIPMENTS_URL";
    public const string TradeUrlVariable = "ENERGYTRADE_E2E_TRADE_URL";
    /// <summary>Against a running stack: a bearer token with all scopes, or the stack's signing key and issuer to mint one.</summary>
    public const string TokenVariable = "ENERGYTRADE_E2E_TOKEN";
    public const string SigningKeyVariable = "ENERGYTRADE_E2E_SIGNING_KEY";
    public const string IssuerVariable = "ENERGYTRADE_E2E_ISSUER";

    private readonly List<IAsyncDisposable> _owned = [];
    private GrpcChannel? _shipmentsChannel;
    private GrpcChannel? _tradeChannel;

    public ShipmentService.ShipmentServiceClient Shipments { get; private set; } = null!;
    public TradeService.TradeServiceClient Trade { get; private set; } = null!;
    public GrpcChannel ShipmentsChannel => _shipmentsChannel!;
    public GrpcChannel TradeChannel => _tradeChannel!;

    /// <summary>True when this fixture started the services on empty databases (so absolute totals are known).</summary>
    public bool FreshSystem { get; private set; }

    public async Task InitializeAsync()
    {
        var shipmentsUrl = Environment.GetEnvironmentVariable(ShipmentsUrlVariable);
        var tradeUrl = Environment.GetEnvironmentVariable(TradeUrlVariable);
        if (string.IsNullOrEmpty(shipmentsUrl) || string.IsNullOrEmpty(tradeUrl))
        {
            (shipmentsUrl, tradeUrl) = await StartServicesAsync();
            FreshSystem = true;
        }
        var token = Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable(SigningKeyVariable) is { Length: > 0 } key
                ? TestAuth.Token(signingKey: key, issuer: Environment.GetEnvironmentVariable(IssuerVariable) ?? "energytrade-local")
                : TestAuth.Token();
        _shipmentsChannel = TestAuth.Channel(new Uri(shipmentsUrl), token);
        _tradeChannel = TestAuth.Channel(new Uri(tradeUrl), token);
        Shipments = new ShipmentService.ShipmentServiceClient(_shipmentsChannel);
        Trade = new TradeService.TradeServiceClient(_tradeChannel);
    }

    private async Task<(string, string)> StartServicesAsync()
    {
        var vhost = await TestVirtualHost.CreateAsync("e2e");
        var shipmentsDb = await TestDatabase.NameAsync("e2e_shipments");
        var tradeDb = await TestDatabase.NameAsync("e2e_trade");
        _owned.AddRange([vhost, shipmentsDb, tradeDb]);

        var shipments = ServiceProcess.Start("Shipments", new Dictionary<string, string>
        {
            ["ConnectionStrings__Shipments"] = shipmentsDb.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.AmqpUri.ToString(),
        });
        var trade = ServiceProcess.Start("Trade", new Dictionary<string, string>
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
    }
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>
{
    public const string Name = "system";
}
