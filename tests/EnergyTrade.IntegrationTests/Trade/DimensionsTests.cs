using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Google.Rpc;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;
using EnergyTrade.Types.V1;

namespace EnergyTrade.IntegrationTests.Trade;

/// <summary>
/// One Trade process loaded with the seed article's cargoes, each with its shipper, buyer, grade and
/// ports, and the cargoes around them an analyst's question must tell apart: Vitol's cargo to Belarus
/// in the same months, Russian and Qatari oil to Belarus, a cargo of undisclosed origin, and March's
/// Azeri cargo that arrived in April.
/// </summary>
public sealed class DimensionsFixture : IAsyncLifetime
{
    private ServiceUnderTest? _sut;

    public TradeService.TradeServiceClient Trade { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _sut = await ServiceUnderTest.CreateAsync("dimensions");
        (_, Trade) = await _sut.StartTradeAsync();
        await using var raw = await RawEvents.ConnectAsync(_sut.VirtualHost.AmqpUri);

        static ShipmentSnapshot Cargo(DateOnly loaded, string shipper, string grade, string? origin, decimal barrels, decimal? value,
            string exporter = "AZ", string importer = "BY", DateOnly? delivered = null, string? buyer = null, string? loadPort = null) =>
            RawEvents.Snapshot(Guid.NewGuid(), 1, barrels, exporter: exporter, importer: importer, valueUsd: value) with
            {
                OriginCountry = origin, Shipper = shipper, Grade = grade, LoadDate = loaded, DeliveryDate = delivered, Buyer = buyer,
                LoadPort = loadPort, DischargePort = "Odesa",
            };

        // The first spelling Trade sees is the one it keeps: SOCAR goes first, on its own.
        await raw.PublishAsync(Cargo(new(2020, 1, 12), "SOCAR", "Azeri Light", "AZ", 700_000m, 35_000_000m, delivered: new(2020, 1, 20), buyer: "Naftan", loadPort: "Supsa"));
        await Eventually.MatchAsync(() => _sut.TradeDb.ScalarAsync<long>("SELECT count(*) FROM trade_names"), n => n >= 4, TimeSpan.FromSeconds(60), "SOCAR's names recorded");

        ShipmentSnapshot[] events =
        [
            // The rest of SOCAR's 3,830,000 bbl, spelled as different clerks type it.
            Cargo(new(2020, 2, 5), "Socar", "CPC Blend", "KZ", 1_200_000m, 60_000_000m, delivered: new(2020, 2, 14), buyer: "Mozyr"),
            Cargo(new(2020, 3, 28), " socar ", "azeri  light", "AZ", 675_000m, null, delivered: new(2020, 4, 4), buyer: "NAFTAN", loadPort: "supsa"),
            Cargo(new(2020, 3, 9), "SOCAR", "Urals", "RU", 580_000m, 25_000_000m, delivered: new(2020, 3, 18), buyer: "Naftan"),
            Cargo(new(2020, 4, 15), "SOCAR", "Azeri Light", "AZ", 675_000m, 30_000_000m, buyer: "Naftan", loadPort: "Supsa"),
            // Another seller from Azerbaijan to Belarus in the same months.
            Cargo(new(2020, 3, 2), "Vitol", "Azeri Light", "AZ", 300_000m, 12_000_000m, delivered: new(2020, 3, 12), buyer: "Mozyr"),
            // Belarus' other suppliers: Russia, and Qatar (in OPEC until the end of 2018).
            Cargo(new(2020, 2, 1), "Rosneft", "Urals", "RU", 1_000_000m, 40_000_000m, exporter: "RU", delivered: new(2020, 2, 6)),
            Cargo(new(2018, 12, 3), "QatarEnergy", "Qatar Marine", "QA", 500_000m, null, exporter: "QA"),
            Cargo(new(2019, 1, 3), "QatarEnergy", "Qatar Marine", "QA", 400_000m, null, exporter: "QA"),
            // A cargo whose origin was not disclosed.
            Cargo(new(2020, 5, 6), "SOCAR", "Export Blend", null, 100_000m, 5_000_000m, delivered: new(2020, 5, 20)),
        ];
        foreach (var e in events) await raw.PublishAsync(e);
        await Eventually.MatchAsync(() => _sut.TradeDb.ScalarAsync<long>("SELECT count(*) FROM applied_shipments WHERE version = 1"),
            n => n == events.Length + 1, TimeSpan.FromSeconds(60), "every event applied");
    }

    public async Task DisposeAsync()
    {
        if (_sut is not null) await _sut.DisposeAsync();
    }
}

[Trait("Category", "Integration")]
public sealed class DimensionsTests(DimensionsFixture fixture) : IClassFixture<DimensionsFixture>
{
    private TradeService.TradeServiceClient Trade => fixture.Trade;

    private static Google.Type.Date Month(int year, int month) => new() { Year = year, Month = month, Day = 0 };

    private static decimal Dec(Google.Type.Decimal? d) => d is null ? 0 : decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static decimal Usd(Google.Type.Money m) => m.Units + m.Nanos / 1_000_000_000m;

    private Task<BilateralTotals> Totals(string country, string partner, int first = 1, int last = 4, Action<GetBilateralTotalsRequest>? with = null, int year = 2020)
    {
        var request = new GetBilateralTotalsRequest { Country = country, Partner = partner, FirstMonth = Month(year, first), LastMonth = Month(year, last) };
        with?.Invoke(request);
        return Trade.GetBilateralTotalsAsync(request, Deadline()).ResponseAsync;
    }

    [Fact]
    public async Task SOCAR_sent_Belarus_3_830_000_barrels_and_Vitol_is_counted_only_without_the_shipper_filter()
    {
        var socar = await Totals("AZ", "BY", with: r => r.Shipper = "socar");
        var everyone = await Totals("AZ", "BY");

        Assert.Equal(3_830_000m, Dec(socar.Exports.Barrels));
        Assert.Equal(5, socar.Exports.ShipmentCount);
        Assert.Equal(4_130_000m, Dec(everyone.Exports.Barrels));
        // 3,830,000 bbl over the 121 days of January to April 2020.
        Assert.Equal(31_652.893m, Dec(socar.Exports.BarrelsPerDay));
    }

    [Fact]
    public async Task Groups_by_shipper_keep_the_first_spelling_and_put_the_largest_first()
    {
        var totals = await Totals("AZ", "BY", with: r => r.GroupBy.Add(Dimension.Shipper));

        Assert.Equal([["SOCAR"], ["Vitol"]], totals.Exports.Groups.Select(g => g.Keys.ToArray()));
        Assert.Equal([3_830_000m, 300_000m], totals.Exports.Groups.Select(g => Dec(g.Totals.Barrels)));
        Assert.Equal(Dec(totals.Exports.Barrels), totals.Exports.Groups.Sum(g => Dec(g.Totals.Barrels)));
    }

    [Fact]
    public async Task Groups_by_grade_and_buyer_split_SOCARs_cargoes_and_a_grade_filter_matches_any_spelling()
    {
        var totals = await Totals("AZ", "BY", with: r =>
        {
            r.Shipper = "SOCAR";
            r.GroupBy.Add(Dimension.Grade);
            r.GroupBy.Add(Dimension.Buyer);
        });
        var azeri = await Totals("AZ", "BY", with: r => { r.Shipper = "SOCAR"; r.Grade = "AZERI   LIGHT"; });

        Assert.Equal(
            [("Azeri Light|Naftan", 2_050_000m), ("CPC Blend|Mozyr", 1_200_000m), ("Urals|Naftan", 580_000m)],
            totals.Exports.Groups.Select(g => (string.Join('|', g.Keys), Dec(g.Totals.Barrels))));
        Assert.Equal(2_050_000m, Dec(azeri.Exports.Barrels));
    }

    [Fact]
    public async Task Valued_barrels_and_the_average_price_count_only_cargoes_that_carry_a_value()
    {
        var socar = await Totals("AZ", "BY", with: r => r.Shipper = "SOCAR");

        // 675,000 bbl of March's Azeri carried no value: 150,000,000 USD over 3,155,000 bbl.
        Assert.Equal(3_155_000m, Dec(socar.Exports.ValuedBarrels));
        Assert.Equal(47.54m, Usd(socar.Exports.AveragePricePerBarrel));
        var none = await Totals("BY", "QA", 1, 12, year: 2019);
        Assert.Null(none.Imports.AveragePricePerBarrel);
    }

    [Fact]
    public async Task The_delivery_basis_moves_the_cargo_loaded_on_28_March_and_delivered_on_4_April_into_April()
    {
        var loadedInMarch = await Totals("AZ", "BY", 3, 3, r => r.Shipper = "SOCAR");
        var deliveredInMarch = await Totals("AZ", "BY", 3, 3, r => { r.Shipper = "SOCAR"; r.PeriodBasis = PeriodBasis.Delivery; });
        var deliveredInApril = await Totals("AZ", "BY", 4, 4, r => { r.Shipper = "SOCAR"; r.PeriodBasis = PeriodBasis.Delivery; });

        Assert.Equal(1_255_000m, Dec(loadedInMarch.Exports.Barrels));
        Assert.Null(loadedInMarch.InTransit);
        Assert.Equal(PeriodBasis.Delivery, deliveredInMarch.PeriodBasis);
        Assert.Equal(580_000m, Dec(deliveredInMarch.Exports.Barrels));
        // On the water at the end of March: the cargo of 28 March.
        Assert.Equal(675_000m, Dec(deliveredInMarch.InTransit.Exports.Barrels));
        // April's own cargo has no delivery date: it falls in no month, and is still in transit at the end of April.
        Assert.Equal(675_000m, Dec(deliveredInApril.Exports.Barrels));
        Assert.Equal(675_000m, Dec(deliveredInApril.InTransit.Exports.Barrels));
    }

    [Fact]
    public async Task Quarter_one_and_April_add_up_to_January_to_April()
    {
        var series = await Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4),
            Granularity = Granularity.Quarter, Shipper = "SOCAR", GroupBy = { Dimension.Grade },
        }, Deadline());
        var whole = await Totals("AZ", "BY", with: r => r.Shipper = "SOCAR");

        Assert.Equal(2, series.Months.Count);
        Assert.Equal(Dec(whole.Exports.Barrels), series.Months.Sum(m => Dec(m.Exports.Barrels)));
        Assert.Equal(3_155_000m, Dec(series.Months[0].Exports.Barrels));
        Assert.Equal(["Azeri Light"], series.Months[1].Exports.Groups.Select(g => g.Keys.Single()));
    }

    [Fact]
    public async Task WORLD_is_the_sum_over_every_partner()
    {
        var world = await Totals("BY", "WORLD", 1, 12);
        var partners = await Trade.ListPartnersAsync(new ListPartnersRequest
        {
            Country = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 12),
        }, Deadline());

        Assert.Equal("WORLD", world.Partner);
        Assert.Equal(partners.Partners.Sum(p => Dec(p.Imports.Barrels)), Dec(world.Imports.Barrels));
        Assert.Equal(4_130_000m + 1_000_000m + 100_000m, Dec(world.Imports.Barrels));
        var byOrigin = await Totals("BY", "WORLD", 1, 12, r => r.Basis = Basis.Origin);
        Assert.Equal(Dec(world.Imports.Barrels), Dec(byOrigin.Imports.Barrels));
    }

    [Fact]
    public async Task A_group_counts_a_member_only_for_the_months_it_belonged()
    {
        var opec2018 = await Totals("BY", "OPEC", 12, 12, year: 2018);
        var opec2019 = await Totals("BY", "OPEC", 1, 1, year: 2019);
        var qatar2019 = await Totals("BY", "QA", 1, 1, year: 2019);

        Assert.Equal(500_000m, Dec(opec2018.Imports.Barrels));
        Assert.Equal(0m, Dec(opec2019.Imports.Barrels));
        Assert.Equal(400_000m, Dec(qatar2019.Imports.Barrels));
    }

    [Fact]
    public async Task Oil_of_undisclosed_origin_is_counted_under_its_own_entry()
    {
        var may = await Totals("AZ", "BY", 5, 5, r => r.GroupBy.Add(Dimension.Origin));

        var origin = Assert.Single(may.Exports.ByOrigin);
        Assert.True(origin.Undisclosed);
        Assert.Equal("", origin.OriginCountry);
        Assert.Equal(100_000m, Dec(origin.Barrels));
        Assert.Equal([""], Assert.Single(may.Exports.Groups).Keys);
        var delivered = await Totals("AZ", "BY", 5, 5, r => r.PeriodBasis = PeriodBasis.Delivery);
        Assert.Equal(100_000m, Dec(delivered.Exports.Barrels));
    }

    [Fact]
    public async Task Filters_and_groupings_are_checked_and_every_mistake_reported_at_once()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Totals("AZ", "ATLANTIS", with: r =>
        {
            r.GroupBy.Add(Dimension.Grade);
            r.GroupBy.Add(Dimension.Grade);
            r.GroupBy.Add((Dimension)99);
            r.PeriodBasis = (PeriodBasis)9;
            r.Shipper = "SO\u0001CAR";
        }));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var fields = ex.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => (v.Field, v.Reason)).ToList();
        Assert.Contains(("partner", "UNKNOWN_COUNTRY"), fields);
        Assert.Contains(("group_by", "DUPLICATE_DIMENSION"), fields);
        Assert.Contains(("group_by", "INVALID_ENUM"), fields);
        Assert.Contains(("period_basis", "INVALID_ENUM"), fields);
        Assert.Contains(("shipper", "INVALID_CHARACTERS"), fields);
    }
}
