using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Trade.Upgrade;

/// <summary>
/// Upgrading a Trade database that an earlier release (migrations up to SnakeCaseKeyNames) filled: the
/// totals stay right through the migrations, and the documented republish (docs/upgrading.md) gives
/// the cargoes counted before it their shippers, grades and delivery months without counting any
/// twice, and their history Shipments' times instead of the time Trade had applied them.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UpgradeTests
{
    private static Google.Type.Date Month(int year, int month) => new() { Year = year, Month = month, Day = 0 };

    private static decimal Dec(Google.Type.Decimal d) => decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Totals_counted_before_the_upgrades_stay_right_and_a_republish_gives_them_their_names_once_and_their_times()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("upgrade");
        await sut.TradeDb.CreateAsync();
        await sut.TradeDb.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Trade", "Upgrade", "trade-before-dimensions.sql")));
        ShipmentSnapshot Cargo(int month, string grade, string origin, decimal barrels, decimal? value) =>
            RawEvents.Snapshot(Guid.NewGuid(), 1, barrels, origin: origin, year: 2020, month: month, valueUsd: value) with
            {
                Grade = grade, DeliveryDate = new DateOnly(2020, month, 25), CreateTime = Recorded, UpdateTime = Recorded,
            };
        ShipmentSnapshot[] seed =
        [
            Cargo(1, "Azeri Light", "AZ", 700_000m, 35_000_000m),
            Cargo(2, "CPC Blend", "KZ", 1_200_000m, null),
            Cargo(3, "Azeri Light", "AZ", 675_000m, 30_000_000m),
            Cargo(3, "Urals", "RU", 580_000m, 25_000_000m),
            Cargo(4, "Azeri Light", "AZ", 675_000m, 30_000_000m),
        ];
        // Counted as the previous release's applier counted them.
        foreach (var s in seed) await sut.TradeDb.ExecuteAsync(CountedTheOldWay(s));

        var (_, trade) = await sut.StartTradeAsync();
        Task<BilateralTotals> Totals(params Dimension[] groupBy) => trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), GroupBy = { groupBy },
        }, Deadline()).ResponseAsync;

        var migrated = await Totals(Dimension.Grade);
        Assert.Equal(3_830_000m, Dec(migrated.Exports.Barrels));
        Assert.Equal([2_050_000m, 1_200_000m, 580_000m], migrated.Exports.ByOrigin.Select(o => Dec(o.Barrels)));
        // Valued barrels come from applied_shipments in the migration: all but the CPC cargo.
        Assert.Equal(2_630_000m, Dec(migrated.Exports.ValuedBarrels));
        // Not yet known: one group without a grade.
        Assert.Equal([""], Assert.Single(migrated.Exports.Groups).Keys);
        // History starts at the time Trade applied each version: today, not 2020.
        Assert.Equal(5, await sut.TradeDb.ScalarAsync<long>("SELECT count(*) FROM shipment_versions v JOIN applied_shipments a USING (shipment_id, version) WHERE v.valid_from = a.applied_at AND v.shipper IS NULL"));
        Assert.Equal(0, (await AsOf(trade, Recorded.AddMonths(1))).Exports.ShipmentCount);
        Assert.Equal(3_830_000m, Dec((await AsOf(trade, DateTimeOffset.UtcNow.AddMinutes(1))).Exports.Barrels));

        // The republish: the same versions, sent again.
        await using (var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri))
        {
            foreach (var s in seed) await raw.PublishAsync(s);
        }
        await Eventually.MatchAsync(() => sut.TradeDb.ScalarAsync<long>("SELECT count(*) FROM applied_shipments WHERE contributes AND shipper IS NULL"),
            n => n == 0, TimeSpan.FromSeconds(60), "every cargo re-applied with its names");

        // Committed is not yet seen by every reader: the answer cache drops the grouped answer read above
        // when the change's notification arrives, a few milliseconds after the commit the query saw.
        var republished = await Eventually.MatchAsync(() => Totals(Dimension.Grade), t => t.Exports.Groups.Count == 3,
            TimeSpan.FromSeconds(10), "the cached grouped answer replaced");
        Assert.Equal(3_830_000m, Dec(republished.Exports.Barrels));
        Assert.Equal(5, republished.Exports.ShipmentCount);
        Assert.Equal(2_630_000m, Dec(republished.Exports.ValuedBarrels));
        Assert.Equal(
            [("Azeri Light", 2_050_000m), ("CPC Blend", 1_200_000m), ("Urals", 580_000m)],
            republished.Exports.Groups.Select(g => (g.Keys.Single(), Dec(g.Totals.Barrels))));
        // The rows counted the old way are emptied, not left to count twice.
        Assert.Equal(0m, await sut.TradeDb.ScalarAsync<decimal>("SELECT coalesce(sum(barrels), 0) FROM bilateral_totals WHERE shipper IS NULL"));
        var delivered = await trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), PeriodBasis = PeriodBasis.Delivery,
        }, Deadline());
        Assert.Equal(3_830_000m, Dec(delivered.Exports.Barrels));

        // The republished versions brought Shipments' own time and their names into the history.
        Assert.Equal(5, await sut.TradeDb.ScalarAsync<long>($"SELECT count(*) FROM shipment_versions WHERE valid_from = '{Recorded:O}' AND shipper IS NOT NULL"));
        Assert.Equal(3_830_000m, Dec((await AsOf(trade, Recorded.AddMonths(1))).Exports.Barrels));
        Assert.Equal(0, (await AsOf(trade, Recorded.AddTicks(-10))).Exports.ShipmentCount);
    }

    /// <summary>When Shipments recorded the seed cargoes.</summary>
    private static readonly DateTimeOffset Recorded = new(2020, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private static Task<BilateralTotals> AsOf(TradeService.TradeServiceClient trade, DateTimeOffset instant) => trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
    {
        Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4),
        AsOf = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(instant),
    }, Deadline()).ResponseAsync;

    /// <summary>The rows the previous release's TotalsApplier wrote for one shipment.</summary>
    private static string CountedTheOldWay(ShipmentSnapshot s)
    {
        var value = s.ValueUsd?.ToString(CultureInfo.InvariantCulture) ?? "NULL";
        var barrels = s.Barrels.ToString(CultureInfo.InvariantCulture);
        var tonnes = s.Tonnes.ToString(CultureInfo.InvariantCulture);
        var month = s.Period.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"""
            INSERT INTO applied_shipments (shipment_id, version, contributes, exporter_country, importer_country, origin_country, month, barrels, tonnes, value_usd, applied_at)
            VALUES ('{s.ShipmentId}', {s.Version}, true, '{s.ExporterCountry}', '{s.ImporterCountry}', '{s.OriginCountry}', '{month}', {barrels}, {tonnes}, {value}, now());
            INSERT INTO bilateral_totals AS t (exporter_country, importer_country, origin_country, month, shipment_count, barrels, tonnes, value_usd, valued_shipment_count, updated_at)
            VALUES ('{s.ExporterCountry}', '{s.ImporterCountry}', '{s.OriginCountry}', '{month}', 1, {barrels}, {tonnes}, {(s.ValueUsd ?? 0).ToString(CultureInfo.InvariantCulture)}, {(s.ValueUsd is null ? 0 : 1)}, now())
            ON CONFLICT (exporter_country, importer_country, origin_country, month) DO UPDATE SET
                shipment_count = t.shipment_count + excluded.shipment_count, barrels = t.barrels + excluded.barrels, tonnes = t.tonnes + excluded.tonnes,
                value_usd = t.value_usd + excluded.value_usd, valued_shipment_count = t.valued_shipment_count + excluded.valued_shipment_count;
            """;
    }
}
