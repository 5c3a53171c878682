using System.Globalization;
using System.Text;
using EnergyTrade.Contracts;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Security;

/// <summary>
/// Each service on the broker with exactly the rights scripts/rabbitmq/*.permissions.json give it:
/// the whole pipeline works, poison still reaches _error, and neither can do the other's job.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BrokerPermissionsTests
{
    [Fact]
    public async Task Each_service_runs_on_its_least_privilege_user_and_cannot_do_the_others_job()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("perms");
        var shipmentsUser = await sut.VirtualHost.AddServiceUserAsync("shipments");
        var tradeUser = await sut.VirtualHost.AddServiceUserAsync("trade");
        var (_, shipments) = await sut.StartShipmentsAsync(environment: new Dictionary<string, string> { ["ConnectionStrings__RabbitMq"] = shipmentsUser.ToString() });
        var (_, trade) = await sut.StartTradeAsync(environment: new Dictionary<string, string> { ["ConnectionStrings__RabbitMq"] = tradeUser.ToString() });

        // The pipeline works end to end on these rights.
        await shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 90_000m, Quantity.Types.Unit.MetricTonnes, 7.5m, 2020, 3, 4, "Ceyhan"),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline());
        var totals = await Eventually.MatchAsync(() => trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY" }, Deadline()).ResponseAsync,
            t => t.Exports.ShipmentCount == 1, TimeSpan.FromSeconds(30), "the shipment in Trade's totals");
        Assert.Equal(675_000m, decimal.Parse(totals.Exports.Barrels.Value, CultureInfo.InvariantCulture));

        // Poison still reaches _error and is recorded: moving faults needs only Trade's own queues.
        await using (var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri))
        {
            await raw.PublishRawAsync("{ not json");
        }
        await Eventually.MatchAsync(() => trade.ListRefusedEventsAsync(new ListRefusedEventsRequest(), Deadline()).ResponseAsync,
            r => r.RefusedEvents.Count == 1, TimeSpan.FromSeconds(30), "the poison message refused and recorded");

        // Trade cannot forge shipment events; Shipments cannot read (consume, get or purge) Trade's queue.
        Assert.Equal(403, await RefusalCodeAsync(tradeUser, channel =>
            channel.BasicPublishAsync(ShipmentChanged.ExchangeName, "", true, new BasicProperties(), Encoding.UTF8.GetBytes("{}")).AsTask()));
        Assert.Equal(403, await RefusalCodeAsync(shipmentsUser, channel => channel.BasicGetAsync(QueueNames.TradeShipmentEvents, autoAck: false)));
        Assert.Equal(403, await RefusalCodeAsync(shipmentsUser, channel => channel.QueuePurgeAsync(QueueNames.TradeShipmentEvents)));
        Assert.Equal(403, await RefusalCodeAsync(shipmentsUser, channel => channel.BasicGetAsync(QueueNames.TradeShipmentEvents + "_error", autoAck: false)));
    }

    /// <summary>The AMQP reply code the broker closed the channel with (403 ACCESS_REFUSED), or 0 when it allowed the operation.</summary>
    private static async Task<int> RefusalCodeAsync(Uri user, Func<IChannel, Task> operation)
    {
        await using var connection = await new ConnectionFactory { Uri = user }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        try
        {
            await operation(channel);
            // A refused publish closes the channel asynchronously; a round trip makes the refusal arrive.
            await channel.ExchangeDeclarePassiveAsync("amq.direct");
            return 0;
        }
        catch (Exception ex) when (ex is OperationInterruptedException or AlreadyClosedException or PublishException)
        {
            return channel.CloseReason?.ReplyCode ?? (ex as OperationInterruptedException)?.ShutdownReason?.ReplyCode ?? -1;
        }
    }
}
