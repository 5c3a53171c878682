using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Net.Client;

namespace EnergyTrade.IntegrationTests.Trade;

/// <summary>
/// A further Trade process on a test's own database and vhost, beside the one
/// <see cref="ServiceUnderTest.StartTradeAsync"/> starts: several replicas of one deployment.
/// Dispose it before the ServiceUnderTest, which drops the database.
/// </summary>
public sealed class TradeReplica : IAsyncDisposable
{
    private readonly GrpcChannel _channel;

    private TradeReplica(ServiceProcess process)
    {
        Process = process;
        _channel = TestAuth.Channel(process.GrpcUrl);
        Client = new TradeService.TradeServiceClient(_channel);
    }

    public ServiceProcess Process { get; }
    public TradeService.TradeServiceClient Client { get; }

    /// <summary>
    /// consumeEvents: false starts a read-only query replica (Messaging:ConsumeEvents=false);
    /// environment adds settings of the test's own.
    /// </summary>
    public static async Task<TradeReplica> StartAsync(ServiceUnderTest sut, bool consumeEvents,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["ConnectionStrings__Trade"] = sut.TradeDb.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = sut.VirtualHost.AmqpUri.ToString(),
            ["Messaging__ConsumeEvents"] = consumeEvents ? "true" : "false",
        };
        var process = ServiceProcess.Start("Trade", settings);
        try
        {
            await process.WaitReadyAsync();
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return new TradeReplica(process);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Process.DisposeAsync();
    }
}
