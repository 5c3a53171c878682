using EnergyTrade.Testing;

namespace EnergyTrade.Cli.Tests.EndToEnd;

/// <summary>
/// Both services as real processes on a database and RabbitMQ virtual host of their own (as
/// EnergyTrade.EndToEnd.Tests does), trusting the tests' signing key, which the CLI is given.
/// </summary>
public sealed class ServicesFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public Uri ShipmentsUrl { get; private set; } = null!;
    public Uri TradeUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var vhost = await TestVirtualHost.CreateAsync("cli");
        var shipmentsDb = await TestDatabase.NameAsync("cli_shipments");
        var tradeDb = await TestDatabase.NameAsync("cli_trade");
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
        // Disposed first (the list is disposed in reverse), before their database and vhost.
        _owned.AddRange([shipments, trade]);
        await Task.WhenAll(shipments.WaitReadyAsync(), trade.WaitReadyAsync());
        ShipmentsUrl = shipments.GrpcUrl;
        TradeUrl = trade.GrpcUrl;
    }

    /// <summary>A CLI run against these services, with the key they trust.</summary>
    public Support.CliRun Cli(bool withKey = true)
    {
        var run = new Support.CliRun { RealTransport = true };
        run.Variables["ENERGYTRADE_SHIPMENTS_URL"] = ShipmentsUrl.ToString();
        run.Variables["ENERGYTRADE_TRADE_URL"] = TradeUrl.ToString();
        if (withKey)
        {
            run.Variables["ENERGYTRADE_SIGNING_KEY"] = TestAuth.SigningKey;
            run.Variables["ENERGYTRADE_ISSUER"] = TestAuth.Issuer;
        }
        return run;
    }

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
    }
}
