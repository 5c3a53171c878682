using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static EnergyTrade.EndToEnd.Tests.Proto;

namespace EnergyTrade.EndToEnd.Tests;

/// <summary>
/// Whatever Shipments acknowledges, Trade counts — at the edges of the input space, where it once did
/// not: quantities that round to nothing or convert past the limits, control characters, the first
/// and last dates the wire can carry, and updates that name no fields.
/// </summary>
[Collection(SystemCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class EdgesOfThePromiseTests(SystemFixture system)
{
    private static readonly int Year = 2000 + Random.Shared.Next(100, 7000);

    private static Shipment Cargo(decimal quantity, Quantity.Types.Unit unit, int month = 3) =>
        SeedShipments.Cargo("AZ", "Azeri Light", quantity, unit, null, Year, month, 4, "Supsa", valueUsd: 1_000m);

    private Task<BilateralTotals> Totals(int month) =>
        system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(Year, month), LastMonth = Month(Year, month),
        }, Deadline()).ResponseAsync;

    private Task<Shipment> CreateAsync(Shipment shipment, string? requestId = null) =>
        system.Shipments.CreateShipmentAsync(new CreateShipmentRequest { Shipment = shipment, RequestId = requestId ?? Guid.NewGuid().ToString() }, Deadline()).ResponseAsync;

    [Theory]
    [InlineData("0.003", Quantity.Types.Unit.Barrels, "TOO_SMALL")]
    [InlineData("0.0004", Quantity.Types.Unit.Barrels, "TOO_SMALL")]
    [InlineData("200000000", Quantity.Types.Unit.MetricTonnes, "TOO_LARGE")]
    [InlineData("0.000001", Quantity.Types.Unit.MetricTonnes, "TOO_SMALL")]
    public async Task A_quantity_Trade_could_not_count_is_invalid_argument_on_the_quantity(string value, Quantity.Types.Unit unit, string reason)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(Cargo(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), unit, month: 1)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(BadRequestOf(ex).FieldViolations);
        Assert.Equal(("shipment.quantity.value", reason), (violation.Field, violation.Reason));
    }

    [Fact]
    public async Task Create_then_amend_to_a_thousandth_of_a_barrel_then_cancel_ends_counted_nowhere()
    {
        var created = await CreateAsync(Cargo(1_000m, Quantity.Types.Unit.Barrels, month: 2));
        await Eventually.MatchAsync(() => Totals(2), t => t.Exports.ShipmentCount == 1, TimeSpan.FromSeconds(30), "the 1,000 bbl cargo");

        var amend = await Assert.ThrowsAsync<RpcException>(() => system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment { Name = created.Name, Quantity = new Quantity { Value = new Google.Type.Decimal { Value = "0.001" }, Unit = Quantity.Types.Unit.Barrels } },
        }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, amend.StatusCode);
        Assert.Equal("shipment.quantity.value", Assert.Single(BadRequestOf(amend).FieldViolations).Field);

        var cancelled = await system.Shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = created.Name, Reason = "booked in error" }, Deadline());
        Assert.Equal(2, cancelled.Version);

        var totals = await Eventually.MatchAsync(() => Totals(2), t => t.Exports.ShipmentCount == 0, TimeSpan.FromSeconds(30), "the cancellation");
        Assert.Equal(0m, Dec(totals.Exports.Barrels));
        var summary = await system.Shipments.SummarizeShipmentsAsync(new SummarizeShipmentsRequest
        {
            Country = "AZ", Partner = "BY", FirstMonth = Month(Year, 2), LastMonth = Month(Year, 2),
        }, Deadline());
        Assert.Equal(0, summary.Exports.ShipmentCount);
    }

    [Fact]
    public async Task A_control_character_in_any_string_is_invalid_argument_and_fails_no_other_callers_create()
    {
        var good = Enumerable.Range(0, 40).Select(_ => CreateAsync(Cargo(500m, Quantity.Types.Unit.Barrels, month: 5))).ToList();
        var bad = new List<(string Field, Task Call)>();
        foreach (var control in new[] { "\0", "\u0001", "\u001b", "\u007f", "\u0085", "\u009f" })
        {
            bad.Add(("request_id", CreateAsync(Cargo(500m, Quantity.Types.Unit.Barrels, month: 5), requestId: "r" + control + Guid.NewGuid())));
            var shipper = Cargo(500m, Quantity.Types.Unit.Barrels, month: 5);
            shipper.Shipper = "SO" + control + "CAR";
            bad.Add(("shipment.shipper", CreateAsync(shipper)));
            var grade = Cargo(500m, Quantity.Types.Unit.Barrels, month: 5);
            grade.Grade = "Azeri" + control;
            bad.Add(("shipment.grade", CreateAsync(grade)));
            var ports = Cargo(500m, Quantity.Types.Unit.Barrels, month: 5);
            ports.DischargePort = control + "Odesa";
            bad.Add(("shipment.discharge_port", CreateAsync(ports)));
        }

        foreach (var (field, call) in bad)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => call);
            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            Assert.Equal((field, "INVALID_CHARACTERS"), (BadRequestOf(ex).FieldViolations[0].Field, BadRequestOf(ex).FieldViolations[0].Reason));
        }
        await Task.WhenAll(good);
        var totals = await Eventually.MatchAsync(() => Totals(5), t => t.Exports.ShipmentCount == 40, TimeSpan.FromSeconds(30), "every good create");
        Assert.Equal(20_000m, Dec(totals.Exports.Barrels));

        var created = await good[0];
        var reason = await Assert.ThrowsAsync<RpcException>(() => system.Shipments.CancelShipmentAsync(
            new CancelShipmentRequest { Name = created.Name, Reason = "oops\0" }, Deadline()).ResponseAsync);
        Assert.Equal(("reason", "INVALID_CHARACTERS"), (BadRequestOf(reason).FieldViolations[0].Field, BadRequestOf(reason).FieldViolations[0].Reason));
        Assert.Equal(Shipment.Types.State.Active, (await system.Shipments.GetShipmentAsync(new GetShipmentRequest { Name = created.Name }, Deadline())).State);
    }

    public static TheoryData<int, int, int, int> MonthRanges => new()
    {
        { 1, 1, 9999, 12 },
        { 9999, 1, 9999, 12 },
        { 1, 1, 1, 12 },
        { 9999, 12, 9999, 12 },
        { 1, 1, 50, 12 },
    };

    [Theory]
    [MemberData(nameof(MonthRanges))]
    public async Task Every_read_answers_any_month_the_wire_can_carry_with_a_result_or_invalid_argument(int firstYear, int firstMonth, int lastYear, int lastMonth)
    {
        var first = Month(firstYear, firstMonth);
        var last = Month(lastYear, lastMonth);
        var calls = new (string Method, Func<Task> Call)[]
        {
            ("GetBilateralTotals", () => system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY", FirstMonth = first, LastMonth = last }, Deadline()).ResponseAsync),
            ("GetTradeSeries", () => system.Trade.GetTradeSeriesAsync(new GetTradeSeriesRequest { Country = "AZ", Partner = "BY", FirstMonth = first, LastMonth = last }, Deadline()).ResponseAsync),
            ("CompareBilateralTotals", () => system.Trade.CompareBilateralTotalsAsync(new CompareBilateralTotalsRequest { Country = "AZ", Partner = "BY", FirstMonth = first, LastMonth = last }, Deadline()).ResponseAsync),
            ("ListPartners", () => system.Trade.ListPartnersAsync(new ListPartnersRequest { Country = "AZ", FirstMonth = first, LastMonth = last }, Deadline()).ResponseAsync),
            ("WatchBilateralTotals", async () =>
            {
                using var watch = system.Trade.WatchBilateralTotals(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY", FirstMonth = first, LastMonth = last }, Deadline());
                await watch.ResponseStream.MoveNext();
            }),
            ("SummarizeShipments", () => system.Shipments.SummarizeShipmentsAsync(new SummarizeShipmentsRequest { Country = "AZ", Partner = "BY", FirstMonth = first, LastMonth = last }, Deadline()).ResponseAsync),
            ("ListShipments", () => system.Shipments.ListShipmentsAsync(new ListShipmentsRequest
            {
                ExporterCountry = "AZ", FirstLoadDate = Day(firstYear, firstMonth, 1), LastLoadDate = Day(lastYear, lastMonth, DateTime.DaysInMonth(lastYear, lastMonth)),
            }, Deadline()).ResponseAsync),
        };
        foreach (var (method, call) in calls)
        {
            try
            {
                await call();
            }
            catch (RpcException ex)
            {
                Assert.True(ex.StatusCode == StatusCode.InvalidArgument, $"{method} {firstYear:D4}-{firstMonth:D2}..{lastYear:D4}-{lastMonth:D2}: {ex.StatusCode} {ex.Status.Detail}");
            }
        }
    }

    [Fact]
    public async Task Shipments_on_the_first_and_last_days_the_wire_can_carry_are_counted()
    {
        var first = SeedShipments.Cargo("AZ", "Azeri Light", 100m, Quantity.Types.Unit.Barrels, null, 1, 1, 1, "Supsa");
        var last = SeedShipments.Cargo("AZ", "Azeri Light", 100m, Quantity.Types.Unit.Barrels, null, 9999, 12, 31, "Supsa");
        last.DeliveryDate = Day(9999, 12, 31);
        var a = await CreateAsync(first);
        var b = await CreateAsync(last);

        foreach (var (year, month) in new[] { (1, 1), (9999, 12) })
        {
            await Eventually.MatchAsync(() => system.Trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest
            {
                Country = "AZ", Partner = "BY", FirstMonth = Month(year, month), LastMonth = Month(year, month),
            }, Deadline()).ResponseAsync, t => t.Exports.ShipmentCount >= 1, TimeSpan.FromSeconds(30), $"the cargo of {year:D4}-{month:D2}");
            // Shipments' own sums too: these days were once stored as ±infinity, which its date arithmetic could not take.
            var summary = await system.Shipments.SummarizeShipmentsAsync(new SummarizeShipmentsRequest
            {
                Country = "AZ", Partner = "BY", FirstMonth = Month(year, month), LastMonth = Month(year, month),
            }, Deadline());
            Assert.True(summary.Exports.ShipmentCount >= 1);
            Assert.Equal(Month(year, month), Assert.Single(summary.Months).Month);
        }
        Assert.NotEmpty((await system.Shipments.SummarizeShipmentsAsync(new SummarizeShipmentsRequest { Country = "AZ", Partner = "BY" }, Deadline())).Months);
        // Left counted nowhere, so a shared stack's reads of these years stay small.
        await system.Shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = a.Name }, Deadline());
        await system.Shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = b.Name }, Deadline());
    }

    [Fact]
    public async Task An_update_without_a_mask_replaces_only_what_it_sets_and_a_star_replaces_everything()
    {
        var cargo = Cargo(80_000m, Quantity.Types.Unit.MetricTonnes, month: 6);
        cargo.Quantity.BarrelsPerTonne = new Google.Type.Decimal { Value = "7.5" };
        cargo.DeliveryDate = Day(Year, 6, 20);
        cargo.DischargePort = "Odesa";
        var created = await CreateAsync(cargo);

        var corrected = await system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            // Only the corrected quantity, as a hurried client sends it: no mask.
            Shipment = new Shipment { Name = created.Name, Quantity = new Quantity { Value = new Google.Type.Decimal { Value = "85000" }, Unit = Quantity.Types.Unit.MetricTonnes } },
        }, Deadline());

        Assert.Equal(637_500m, Dec(corrected.Barrels));
        Assert.Equal(7.5m, Dec(corrected.Quantity.BarrelsPerTonne));
        Assert.Equal(created.Value, corrected.Value);
        Assert.Equal(created.DeliveryDate, corrected.DeliveryDate);
        Assert.Equal(("Supsa", "Odesa"), (corrected.LoadPort, corrected.DischargePort));
        Assert.Equal(created.Shipper, corrected.Shipper);

        var replacement = Cargo(85_000m, Quantity.Types.Unit.MetricTonnes, month: 6);
        replacement.Name = created.Name;
        replacement.Value = null;
        replacement.LoadPort = "";
        replacement.DischargePort = "";
        var replaced = await system.Shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = replacement, UpdateMask = new FieldMask { Paths = { "*" } },
        }, Deadline());

        Assert.Null(replaced.Value);
        Assert.Null(replaced.DeliveryDate);
        Assert.Equal(("", ""), (replaced.LoadPort, replaced.DischargePort));
        Assert.Equal(3, replaced.Version);
    }
}
