using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Testing;

namespace EnergyTrade.Cli.Tests.EndToEnd;

/// <summary>
/// The development identity provider as a real process (fresh secrets and passwords), and both services trusting
/// it alone: no shared key (Auth__SigningKey=""), tokens validated against its discovery document and keys.
/// Shipments serves over https with mutual TLS (a CA from scripts/make-local-ca.sh), Trade over cleartext
/// loopback, so both kinds of channel carry the provider's tokens.
/// </summary>
public sealed class IdentityServicesFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public IdentityProviderUnderTest Provider { get; private set; } = null!;
    public ServiceTls Tls { get; private set; } = null!;
    public Uri ShipmentsUrl { get; private set; } = null!;
    public Uri TradeUrl { get; private set; } = null!;
    /// <summary>What the CLI is told: the provider's issuer URL.</summary>
    public string Authority => Provider.BaseUrl.ToString();

    public async Task InitializeAsync()
    {
        Tls = await ServiceTls.CreateAsync();
        Provider = await IdentityProviderUnderTest.StartAsync("cli_identity");
        _owned.Add(Provider);
        var vhost = await TestVirtualHost.CreateAsync("cli_identity");
        var shipmentsDb = await TestDatabase.NameAsync("cli_identity_shipments");
        var tradeDb = await TestDatabase.NameAsync("cli_identity_trade");
        _owned.AddRange([vhost, shipmentsDb, tradeDb]);
        var trustTheProvider = Provider.ServiceEnvironment;
        var shipments = ServiceProcess.Start("Shipments", new Dictionary<string, string>(trustTheProvider)
        {
            ["ConnectionStrings__Shipments"] = shipmentsDb.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.AmqpUri.ToString(),
        }, tls: Tls);
        var trade = ServiceProcess.Start("Trade", new Dictionary<string, string>(trustTheProvider)
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

    /// <summary>
    /// A CLI run with a configuration directory of its own, holding a default profile made by `energytrade config set`:
    /// the services' addresses, the authority, and the CA and client certificate for Shipments' mutual TLS.
    /// </summary>
    public async Task<CliRun> ConfiguredCliAsync(TemporaryDirectory home)
    {
        var run = new CliRun { RealTransport = true };
        run.Variables["ENERGYTRADE_CONFIG_DIR"] = home.File("config");
        foreach (var (key, value) in new[]
        {
            ("shipments_url", ShipmentsUrl.ToString()), ("trade_url", TradeUrl.ToString()), ("authority", Authority),
            ("ca_file", Tls.CaPath), ("client_certificate", Path.Combine(Tls.Directory, "client.crt")), ("client_key", Path.Combine(Tls.Directory, "client.key")),
        })
        {
            var exit = await run.RunAsync("config", "set", key, value);
            Assert.True(exit == 0, $"config set {key}: {run.Error}");
        }
        return run;
    }

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
        Tls?.Dispose();
    }
}
