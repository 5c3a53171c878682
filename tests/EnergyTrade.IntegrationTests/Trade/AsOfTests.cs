using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;
using EnergyTrade.Types.V1;

namespace EnergyTrade.IntegrationTests.Trade;

/// <summary>
/// One Trade process that received, out of order and twice, the versions of the Supsa cargo
/// (loaded in March 2020, recorded as 80 kt on 1 May, amended to 85 kt on 20 May), a May cargo
/// recorded on 2 May and cancelled on 15 May, and a January cargo that never changed.
/// </summary>
public sealed class AsOfFixture : IAsyncLifetime
{
    public static readonly Guid Supsa = Guid.NewGuid();
    public static readonly Guid Cancelled = Guid.NewGuid();
    public static readonly Guid Steady = Guid.NewGuid();

    public static readonly DateTimeOffset SupsaRecorded = new(2020, 5, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset SupsaAmended = new(2020, 5, 20, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset CancelledRecorded = new(2020, 5, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset CancelledAt = new(2020, 5, 15, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset SteadyRecorded = new(2020, 1, 20, 9, 0, 0, TimeSpan.Zero);

    private ServiceUnderTest? _sut;

    public TradeService.TradeServiceClient Trade { get; private set; } = null!;

    public ServiceUnderTest Sut => _sut!;

    /// <summary>A cargo as Shipments recorded it at <paramref name="at"/>: 80 kt is 600,000 bbl at 7.5 bbl/t.</summary>
    public static ShipmentSnapshot Version(Guid id, long version, decimal tonnes, DateTimeOffset at, int month = 3,
        ShipmentState state = ShipmentState.Active, decimal? valueUsd = null) =>
        RawEvents.Snapshot(id, version, tonnes * 7.5m, month: month, state: state, valueUsd: valueUsd) with
        {
            QuantityValue = tonnes, QuantityUnit = QuantityUnit.MetricTonnes, Tonnes = tonnes, LoadPort = "Supsa",
            CreateTime = at, UpdateTime = at, CancelReason = state == ShipmentState.Cancelled ? "Sold on before loading" : null,
        };

    public async Task InitializeAsync()
    {
        _sut = await ServiceUnderTest.CreateAsync("asof");
        (_, Trade) = await _sut.StartTradeAsync();
        await using var raw = await RawEvents.ConnectAsync(_sut.VirtualHost.AmqpUri);

        // The amendment arrives first, then the version it replaced, then that version again: as a
        // slow consumer and a redelivery would present them.
        await raw.PublishAsync(Version(Supsa, 2, 85_000m, SupsaAmended) with { CreateTime = SupsaRecorded }, kind: ShipmentChangeKind.Updated);
        await raw.PublishAsync(Version(Steady, 1, 40_000m, SteadyRecorded, month: 1, valueUsd: 12_000_000m));
        await raw.PublishAsync(Version(Cancelled, 2, 20_000m, CancelledAt, month: 5, state: ShipmentState.Cancelled) with { CreateTime = CancelledRecorded },
            kind: ShipmentChangeKind.Cancelled);
        await raw.PublishAsync(Version(Supsa, 1, 80_000m, SupsaRecorded));
        await raw.PublishAsync(Version(Cancelled, 1, 20_000m, CancelledRecorded, month: 5));
        await raw.PublishAsync(Version(Supsa, 1, 80_000m, SupsaRecorded));
        await Eventually.MatchAsync(() => _sut.TradeDb.ScalarAsync<long>("SELECT count(*) FROM shipment_versions"),
            n => n == 5, TimeSpan.FromSeconds(60), "every version recorded");
        await Eventually.MatchAsync(() => _sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents),
            q => q?.Total == 0, TimeSpan.FromSeconds(30), "the queue to drain");
    }

    public async Task DisposeAsync()
    {
        if (_sut is not null) await _sut.DisposeAsync();
    }
}

[Trait("Category", "Integration")]
public sealed class AsOfTests(AsOfFixture fixture) : IClassFixture<AsOfFixture>
{
    private TradeService.TradeServiceClient Trade => fixture.Trade;

    private static Google.Type.Date Month(int year, int month) => new() { Year = year, Month = month, Day = 0 };

    private static decimal Dec(Google.Type.Decimal? d) => d is null ? 0 : decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static Timestamp At(int year, int month, int day, int hour = 0) =>
        Timestamp.FromDateTimeOffset(new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.Zero));

    private Task<BilateralTotals> JanuaryToApril(Timestamp? asOf) => Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
    {
        Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), AsOf = asOf,
    }, Deadline()).ResponseAsync;

    [Fact]
    public async Task As_of_10_May_2020_January_to_April_is_exactly_37_500_barrels_lower_than_now()
    {
        var then = await JanuaryToApril(At(2020, 5, 10));
        var now = await JanuaryToApril(null);

        // 40 kt steady + the Supsa cargo's 80 kt, then 85 kt, at 7.5 bbl/t: 5,000 t x 7.5 between them.
        Assert.Equal(900_000m, Dec(then.Exports.Barrels));
        Assert.Equal(937_500m, Dec(now.Exports.Barrels));
        Assert.Equal(37_500m, Dec(now.Exports.Barrels) - Dec(then.Exports.Barrels));
        Assert.Equal(2, then.Exports.ShipmentCount);
        Assert.Equal(2, now.Exports.ShipmentCount);
        Assert.Equal(At(2020, 5, 10), then.AsOf);
        Assert.Null(now.AsOf);
        // The newest version counted then: the Supsa cargo's first, recorded on 1 May.
        Assert.Equal(Timestamp.FromDateTimeOffset(AsOfFixture.SupsaRecorded), then.UpdateTime);
    }

    [Fact]
    public async Task A_cancelled_cargo_counts_until_the_instant_it_was_cancelled()
    {
        Task<BilateralTotals> May(Timestamp asOf) => Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 5), LastMonth = Month(2020, 5), AsOf = asOf,
        }, Deadline()).ResponseAsync;

        Assert.Equal(0, (await May(At(2020, 5, 2))).Exports.ShipmentCount);
        Assert.Equal(150_000m, Dec((await May(Timestamp.FromDateTimeOffset(AsOfFixture.CancelledRecorded))).Exports.Barrels));
        Assert.Equal(150_000m, Dec((await May(Timestamp.FromDateTimeOffset(AsOfFixture.CancelledAt.AddTicks(-10)))).Exports.Barrels));
        Assert.Equal(0, (await May(Timestamp.FromDateTimeOffset(AsOfFixture.CancelledAt))).Exports.ShipmentCount);
    }

    [Fact]
    public async Task Each_version_counts_from_the_instant_Shipments_recorded_it_and_not_a_microsecond_earlier()
    {
        var recorded = Timestamp.FromDateTimeOffset(AsOfFixture.SupsaAmended);
        var justBefore = Timestamp.FromDateTimeOffset(AsOfFixture.SupsaAmended.AddTicks(-10));

        Assert.Equal(937_500m, Dec((await JanuaryToApril(recorded)).Exports.Barrels));
        Assert.Equal(900_000m, Dec((await JanuaryToApril(justBefore)).Exports.Barrels));
    }

    [Fact]
    public async Task Before_the_first_version_the_figures_are_zero_and_in_the_future_they_are_todays()
    {
        var before = await JanuaryToApril(At(2019, 12, 31));
        Assert.Equal(0, before.Exports.ShipmentCount);
        Assert.Equal(0m, Dec(before.Exports.Barrels));
        Assert.Null(before.UpdateTime);

        var future = await JanuaryToApril(Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddYears(50)));
        var now = await JanuaryToApril(null);
        Assert.Equal(now.Exports.ShipmentCount, future.Exports.ShipmentCount);
        Assert.Equal(Dec(now.Exports.Barrels), Dec(future.Exports.Barrels));
        Assert.Equal(now.Exports.ByOrigin, future.Exports.ByOrigin);
    }

    [Fact]
    public async Task Series_comparison_and_partners_answer_as_of_the_same_instant()
    {
        var series = await Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), AsOf = At(2020, 5, 10),
        }, Deadline());
        Assert.Equal([300_000m, 0m, 600_000m, 0m], series.Months.Select(m => Dec(m.Exports.Barrels)));
        Assert.Equal(At(2020, 5, 10), series.AsOf);

        var comparison = await Trade.CompareBilateralTotalsAsync(new CompareBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), AsOf = At(2020, 5, 10),
        }, Deadline());
        Assert.Equal(900_000m, Dec(comparison.Current.Exports.Barrels));
        Assert.Equal(At(2020, 5, 10), comparison.Current.AsOf);
        Assert.Equal(At(2020, 5, 10), comparison.Previous.AsOf);

        var partners = await Trade.ListPartnersAsync(new ListPartnersRequest { Country = "AZ", AsOf = At(2020, 1, 25) }, Deadline());
        var belarus = Assert.Single(partners.Partners);
        Assert.Equal("BY", belarus.Partner);
        Assert.Equal(300_000m, Dec(belarus.Exports.Barrels));
        Assert.Empty((await Trade.ListPartnersAsync(new ListPartnersRequest { Country = "AZ", AsOf = At(2020, 1, 1) }, Deadline())).Partners);
    }

    [Fact]
    public async Task The_revision_report_since_10_May_names_the_Supsa_amendment_as_the_whole_difference()
    {
        var report = await Trade.GetRevisionReportAsync(new GetRevisionReportRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), Since = At(2020, 5, 10),
        }, Deadline());

        Assert.Equal(4, report.Months.Count);
        var march = report.Months[2];
        Assert.Equal(600_000m, Dec(march.Exports.Before.Barrels));
        Assert.Equal(637_500m, Dec(march.Exports.After.Barrels));
        Assert.Equal(37_500m, Dec(march.Exports.Change.Barrels));
        Assert.Equal(5_000m, Dec(march.Exports.Change.Tonnes));
        Assert.Equal(0, march.Exports.Change.ShipmentCount);
        Assert.All(report.Months.Where(m => m != march), m => Assert.Equal(0m, Dec(m.Exports.Change.Barrels)));
        Assert.Equal(37_500m, Dec(report.Exports.Change.Barrels));

        var amendment = Assert.Single(report.Changes);
        Assert.Equal(1, report.TotalChangeCount);
        Assert.Equal($"shipments/{AsOfFixture.Supsa}", amendment.Shipment);
        Assert.Equal(2, amendment.Version);
        Assert.Equal(RevisedShipment.Types.Kind.Amended, amendment.Kind);
        Assert.Equal(Timestamp.FromDateTimeOffset(AsOfFixture.SupsaAmended), amendment.UpdateTime);
        Assert.Equal(1, amendment.Before.Version);
        Assert.Equal(600_000m, Dec(amendment.Before.Barrels));
        Assert.Equal(637_500m, Dec(amendment.After.Barrels));
        Assert.Equal("SOCAR", amendment.After.Shipper);
        Assert.Equal(37_500m, Dec(amendment.Exports.Barrels));
        Assert.Equal(0m, Dec(amendment.Imports.Barrels));
    }

    [Fact]
    public async Task Over_January_to_May_the_report_adds_the_cancellation_and_the_versions_add_up_to_the_difference()
    {
        var report = await Trade.GetRevisionReportAsync(new GetRevisionReportRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 5), Since = At(2020, 5, 10),
        }, Deadline());

        var may = report.Months[4];
        Assert.Equal(-150_000m, Dec(may.Exports.Change.Barrels));
        Assert.Equal(-1, may.Exports.Change.ShipmentCount);
        Assert.Equal(-112_500m, Dec(report.Exports.Change.Barrels));

        Assert.Equal(2, report.TotalChangeCount);
        var (cancellation, amendment) = (report.Changes[0], report.Changes[1]);
        Assert.Equal($"shipments/{AsOfFixture.Cancelled}", cancellation.Shipment);
        Assert.Equal(RevisedShipment.Types.Kind.Cancelled, cancellation.Kind);
        Assert.Null(cancellation.After);
        Assert.Equal(150_000m, Dec(cancellation.Before.Barrels));
        Assert.Equal(-150_000m, Dec(cancellation.Exports.Barrels));
        Assert.Equal($"shipments/{AsOfFixture.Supsa}", amendment.Shipment);
        // The versions' changes are the difference between the two instants' figures.
        Assert.Equal(Dec(report.Exports.Change.Barrels), report.Changes.Sum(c => Dec(c.Exports.Barrels)));
    }

    [Fact]
    public async Task A_revision_report_lists_the_oldest_changes_first_up_to_max_changes_and_counts_them_all()
    {
        var report = await Trade.GetRevisionReportAsync(new GetRevisionReportRequest
        {
            Country = "BY", Partner = "AZ", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 5), Since = At(2019, 1, 1), MaxChanges = 2,
        }, Deadline());

        Assert.Equal(5, report.TotalChangeCount);
        Assert.Equal([AsOfFixture.Steady, AsOfFixture.Supsa], report.Changes.Select(c => Guid.Parse(c.Shipment["shipments/".Length..])));
        Assert.Equal(RevisedShipment.Types.Kind.Created, report.Changes[0].Kind);
        // Seen from Belarus, the cargoes are imports.
        Assert.Equal(300_000m, Dec(report.Changes[0].Imports.Barrels));
        Assert.Equal(937_500m, Dec(report.Imports.After.Barrels));
        Assert.Equal(0m, Dec(report.Imports.Before.Barrels));
    }

    [Fact]
    public async Task Bad_instants_are_refused_with_every_violation_named()
    {
        var asOf = await Assert.ThrowsAsync<RpcException>(() => JanuaryToApril(new Timestamp { Seconds = 0, Nanos = -1 }));
        Assert.Equal(StatusCode.InvalidArgument, asOf.StatusCode);
        Assert.Contains(Violations(asOf), v => v.Field == "as_of" && v.Reason == "INVALID_TIMESTAMP");

        var report = await Assert.ThrowsAsync<RpcException>(() => Trade.GetRevisionReportAsync(new GetRevisionReportRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), MaxChanges = -1,
        }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, report.StatusCode);
        Assert.Contains(Violations(report), v => v.Field == "since" && v.Reason == "REQUIRED");
        Assert.Contains(Violations(report), v => v.Field == "max_changes" && v.Reason == "OUT_OF_RANGE");

        var backwards = await Assert.ThrowsAsync<RpcException>(() => Trade.GetRevisionReportAsync(new GetRevisionReportRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(2020, 1), LastMonth = Month(2020, 4), Since = At(2020, 5, 10), Until = At(2020, 5, 9),
        }, Deadline()).ResponseAsync);
        Assert.Contains(Violations(backwards), v => v.Field == "until" && v.Reason == "EMPTY_RANGE");

        using var watch = Trade.WatchBilateralTotals(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY", AsOf = At(2020, 5, 10) }, Deadline());
        var refused = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains(Violations(refused), v => v.Field == "as_of" && v.Reason == "NOT_SUPPORTED");
    }

    private static IReadOnlyList<BadRequest.Types.FieldViolation> Violations(RpcException ex) =>
        ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? [];
}
