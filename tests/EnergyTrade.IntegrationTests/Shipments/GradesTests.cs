using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Shipments;

/// <summary>
/// The grade catalogue against a running Shipments: the factor a create without one stores, the
/// factor a stored shipment keeps through corrections, and ListGrades over gRPC and HTTP/JSON.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GradesTests : IAsyncLifetime
{
    private ServiceUnderTest _sut = null!;
    private ServiceProcess _process = null!;
    private ShipmentService.ShipmentServiceClient _shipments = null!;

    public async Task InitializeAsync()
    {
        _sut = await ServiceUnderTest.CreateAsync("grades");
        (_process, _shipments) = await _sut.StartShipmentsAsync();
    }

    public async Task DisposeAsync() => await _sut.DisposeAsync();

    private async Task<Shipment> CreateAsync(string grade, decimal barrels) =>
        await _shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", grade, barrels, Quantity.Types.Unit.Barrels, null, 2020, 1, 20, "Supsa"),
        }, Deadline());

    private Task<string?> StoredAsync(Shipment shipment) => _sut.ShipmentsDb.ScalarAsync<string>(
        $"SELECT barrels_per_tonne::text || ' ' || barrels_per_tonne_given || ' ' || tonnes::text FROM shipments WHERE id = '{shipment.Name["shipments/".Length..]}'");

    [Fact]
    public async Task A_create_without_a_factor_stores_its_grades_standard_factor_and_7_33_only_for_an_unknown_grade()
    {
        var azeri = await CreateAsync("azeri light", 700_000m);
        var unknown = await CreateAsync("Unknown Blend", 700_000m);

        // 700,000 / 7.40 = 94,594.595 t; 700,000 / 7.33 = 95,497.954 t (half-even to 3 places).
        Assert.Equal(("azeri light", "7.40", "94594.595"), (azeri.Grade, azeri.Quantity.BarrelsPerTonne.Value, azeri.Tonnes.Value));
        Assert.Equal("7.40 false 94594.595", await StoredAsync(azeri));
        Assert.Equal(("7.33", "95497.954"), (unknown.Quantity.BarrelsPerTonne.Value, unknown.Tonnes.Value));
        Assert.Equal("7.33 false 95497.954", await StoredAsync(unknown));
        Assert.Equal(azeri, await _shipments.GetShipmentAsync(new GetShipmentRequest { Name = azeri.Name }, Deadline()));
    }

    [Fact]
    public async Task A_shipment_recorded_before_the_catalogue_keeps_its_7_33_until_an_update_replaces_the_factor()
    {
        var created = await CreateAsync("Azeri Light", 700_000m);
        // As every shipment without a factor was stored before there was a catalogue.
        await _sut.ShipmentsDb.ExecuteAsync($"UPDATE shipments SET barrels_per_tonne = 7.33, tonnes = 95497.954 WHERE id = '{created.Name["shipments/".Length..]}'");

        var repriced = await UpdateAsync(new Shipment { Name = created.Name, Value = new Google.Type.Money { CurrencyCode = "USD", Units = 30_000_000 } }, "value");
        Assert.Equal((2L, "7.33", "95497.954"), (repriced.Version, repriced.Quantity.BarrelsPerTonne.Value, repriced.Tonnes.Value));
        Assert.Equal("7.33 false 95497.954", await StoredAsync(repriced));

        var regraded = await UpdateAsync(new Shipment { Name = created.Name, Grade = "CPC Blend" }, "grade");
        Assert.Equal(("CPC Blend", "7.33"), (regraded.Grade, regraded.Quantity.BarrelsPerTonne.Value));

        // 733,000 bbl at the kept 7.33 is 100,000 t exactly.
        var corrected = await UpdateAsync(new Shipment { Name = created.Name, Quantity = new Quantity { Value = new Google.Type.Decimal { Value = "733000" } } }, "quantity.value");
        Assert.Equal(("7.33", "100000.000"), (corrected.Quantity.BarrelsPerTonne.Value, corrected.Tonnes.Value));

        // A client that reads the shipment and sends its whole quantity back, as the CLI does, changes nothing.
        var echoed = await UpdateAsync(new Shipment { Name = created.Name, Quantity = corrected.Quantity }, "quantity");
        Assert.Equal(4L, echoed.Version);
        Assert.Equal("7.33 false 100000.000", await StoredAsync(echoed));

        // Replacing the factor with none asks for the grade's standard one: CPC Blend's 7.87.
        var restandardised = await UpdateAsync(new Shipment { Name = created.Name }, "quantity.barrels_per_tonne");
        Assert.Equal((5L, "7.87", "93138.501"), (restandardised.Version, restandardised.Quantity.BarrelsPerTonne.Value, restandardised.Tonnes.Value));
        Assert.Equal("7.87 false 93138.501", await StoredAsync(restandardised));
    }

    private async Task<Shipment> UpdateAsync(Shipment patch, string mask) =>
        await _shipments.UpdateShipmentAsync(new UpdateShipmentRequest { Shipment = patch, UpdateMask = FieldMask.FromString(mask) }, Deadline());

    [Fact]
    public async Task Grades_are_listed_in_pages_over_grpc_in_name_order()
    {
        var whole = await _shipments.ListGradesAsync(new ListGradesRequest(), Deadline());
        var pages = new List<Grade>();
        var request = new ListGradesRequest { PageSize = 10 };
        do
        {
            var page = await _shipments.ListGradesAsync(request, Deadline());
            Assert.InRange(page.Grades.Count, 1, 10);
            pages.AddRange(page.Grades);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal("", whole.NextPageToken);
        Assert.Equal(whole.Grades, pages);
        Assert.Equal(whole.Grades.Select(g => g.Name.ToLowerInvariant()).Order(StringComparer.Ordinal), whole.Grades.Select(g => g.Name.ToLowerInvariant()));
        var azeri = Assert.Single(whole.Grades, g => g.Name == "Azeri Light");
        Assert.Equal(["Azeri BTC", "BTC Blend", "Azeri"], azeri.Aliases);
        Assert.Equal(("AZ", "34.8", "7.40"), (azeri.TypicalOriginCountry, azeri.ApiGravity.Value, azeri.BarrelsPerTonne.Value));
        Assert.NotEmpty(azeri.Source);

        var bad = await Assert.ThrowsAsync<RpcException>(() => _shipments.ListGradesAsync(new ListGradesRequest { PageToken = "nonsense" }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
    }

    [Fact]
    public async Task Grades_are_read_over_http_json_with_the_shipments_read_scope_only()
    {
        using var http = new HttpClient { BaseAddress = _process.HttpUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token(["shipments:read"]));
        var json = JsonDocument.Parse(await http.GetStringAsync("/v1/grades?page_size=1000")).RootElement;
        var urals = json.GetProperty("grades").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "Urals");
        Assert.Equal("7.26", urals.GetProperty("barrelsPerTonne").GetProperty("value").GetString());

        using var anonymous = new HttpClient { BaseAddress = _process.HttpUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/grades")).StatusCode);

        using var channel = TestAuth.Channel(_process.GrpcUrl, TestAuth.Token(["trade:read", "shipments:write"]));
        var withoutRead = await Assert.ThrowsAsync<RpcException>(() =>
            new ShipmentService.ShipmentServiceClient(channel).ListGradesAsync(new ListGradesRequest(), Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, withoutRead.StatusCode);
        Assert.Equal((await _shipments.ListGradesAsync(new ListGradesRequest(), Deadline())).Grades.Count, json.GetProperty("grades").GetArrayLength());
    }
}
