using EnergyTrade.Contracts;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EnergyTrade.IntegrationTests;

/// <summary>
/// A vhost and databases of a test's own, and the services started on them as processes —
/// optionally through TCP proxies, so the test can cut a service off from RabbitMQ or PostgreSQL.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<GrpcChannel> _channels = [];

    private ServiceUnderTest(TestVirtualHost vhost, TestDatabase shipmentsDb, TestDatabase tradeDb)
    {
        VirtualHost = vhost;
        ShipmentsDb = shipmentsDb;
        TradeDb = tradeDb;
        _owned.AddRange([vhost, shipmentsDb, tradeDb]);
    }

    public TestVirtualHost VirtualHost { get; }
    public TestDatabase ShipmentsDb { get; }
    public TestDatabase TradeDb { get; }

    public static async Task<ServiceUnderTest> CreateAsync(string purpose) => new(
        await TestVirtualHost.CreateAsync(purpose),
        await TestDatabase.NameAsync(purpose + "_s"),
        await TestDatabase.NameAsync(purpose + "_t"));

    public async Task<(ServiceProcess Process, ShipmentService.ShipmentServiceClient Client)> StartShipmentsAsync(
        TcpProxy? rabbitProxy = null, TcpProxy? postgresProxy = null, bool waitReady = true,
        IReadOnlyDictionary<string, string>? environment = null, int? httpPort = null, ServiceTls? tls = null)
    {
        var process = ServiceProcess.Start("Shipments", With(environment, new Dictionary<string, string>
        {
            ["ConnectionStrings__Shipments"] = Through(ShipmentsDb.ConnectionString, postgresProxy),
            ["ConnectionStrings__RabbitMq"] = Through(VirtualHost.AmqpUri, rabbitProxy).ToString(),
            ["Outbox__PublishTimeout"] = "00:00:03",
            ["Outbox__MaxRetryDelay"] = "00:00:02",
        }), httpPort: httpPort, tls: tls);
        _owned.Add(process);
        if (waitReady) await process.WaitReadyAsync();
        return (process, new ShipmentService.ShipmentServiceClient(Channel(process)));
    }

    public async Task<(ServiceProcess Process, TradeService.TradeServiceClient Client)> StartTradeAsync(
        IReadOnlyDictionary<string, string>? environment = null, TcpProxy? postgresProxy = null)
    {
        var process = ServiceProcess.Start("Trade", With(environment, new Dictionary<string, string>
        {
            ["ConnectionStrings__Trade"] = Through(TradeDb.ConnectionString, postgresProxy),
            ["ConnectionStrings__RabbitMq"] = VirtualHost.AmqpUri.ToString(),
        }));
        _owned.Add(process);
        await process.WaitReadyAsync();
        // Ready means the database is migrated; wait for the consumer to be attached to its queue too.
        await Eventually.MatchAsync(() => VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents),
            q => q is { Consumers: > 0 }, TimeSpan.FromSeconds(30), "Trade's consumer on its queue");
        return (process, new TradeService.TradeServiceClient(Channel(process)));
    }

    public async Task<TcpProxy> ProxyToRabbitMqAsync()
    {
        var proxy = new TcpProxy(VirtualHost.AmqpUri.Host, VirtualHost.AmqpUri.Port);
        _owned.Add(proxy);
        return await Task.FromResult(proxy);
    }

    public TcpProxy ProxyToPostgres()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ShipmentsDb.ConnectionString);
        var proxy = new TcpProxy(builder.Host!, builder.Port);
        _owned.Add(proxy);
        return proxy;
    }

    public static CallOptions Deadline(int seconds = 15) => new(deadline: DateTime.UtcNow.AddSeconds(seconds));

    private GrpcChannel Channel(ServiceProcess process)
    {
        var channel = TestAuth.Channel(process.GrpcUrl, handler: process.Tls?.Handler(process.Tls.ClientCertificate));
        _channels.Add(channel);
        return channel;
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string>? extra, Dictionary<string, string> environment)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) environment[key] = value;
        return environment;
    }

    private static Uri Through(Uri amqp, TcpProxy? proxy) =>
        proxy is null ? amqp : new UriBuilder(amqp) { Host = "127.0.0.1", Port = proxy.Port }.Uri;

    private static string Through(string connectionString, TcpProxy? proxy) =>
        proxy is null ? connectionString : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels) channel.Dispose();
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
    }
}
