using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Pipeline;

[Trait("Category", "Integration")]
public sealed class LateConsumerTests
{
    [Fact]
    public async Task Events_published_before_Trade_ever_ran_reach_it_when_it_starts()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("late");
        var (_, shipments) = await sut.StartShipmentsAsync();

        foreach (var cargo in SeedShipments.AzerbaijanToBelarus2020())
        {
            await shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = cargo, RequestId = Guid.NewGuid().ToString() }, Deadline());
        }
        await Eventually.MatchAsync(() => sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NOT NULL"),
            n => n == 5, TimeSpan.FromSeconds(30), "five events confirmed by RabbitMQ");
        await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents),
            q => q?.Total > 0, TimeSpan.FromSeconds(10), "the events waiting for a Trade that has never run");

        var (_, trade) = await sut.StartTradeAsync();
        var totals = await Eventually.MatchAsync(() => trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
            {
                Country = "AZ", Partner = "BY",
                FirstMonth = new Google.Type.Date { Year = 2020, Month = 1 }, LastMonth = new Google.Type.Date { Year = 2020, Month = 4 },
            }, Deadline()).ResponseAsync,
            t => t.Exports.ShipmentCount == 5, TimeSpan.FromSeconds(30), "all five cargoes in Trade's totals");

        Assert.Equal(SeedShipments.TotalBarrels, decimal.Parse(totals.Exports.Barrels.Value, CultureInfo.InvariantCulture));
        Assert.Equal(SeedShipments.AzerbaijaniBarrels, decimal.Parse(totals.Exports.ByOrigin.Single(o => o.OriginCountry == "AZ").Barrels.Value, CultureInfo.InvariantCulture));
        await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents),
            q => q?.Total == 0, TimeSpan.FromSeconds(10), "the queue to drain");
    }
}
