using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Shipments;

/// <summary>
/// Every version of every shipment is kept (AIP-162): ListShipmentRevisions answers each as it stood,
/// with who changed it, why and what changed, written in the same transaction as the version itself.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RevisionsTests
{
    private const string Subject = "alice@trading.example";
    private const string Client = "energytrade-cli";

    private static decimal Dec(Google.Type.Decimal d) => decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Shipments started with a token of a known subject and client, so revisions can be checked for them.</summary>
    private static async Task<(ServiceProcess Process, ShipmentService.ShipmentServiceClient Client, IDisposable Channel)> StartAsync(ServiceUnderTest sut)
    {
        var (process, _) = await sut.StartShipmentsAsync();
        var channel = TestAuth.Channel(process.GrpcUrl, TestAuth.Token(subject: Subject, authorizedParty: Client));
        return (process, new ShipmentService.ShipmentServiceClient(channel), channel);
    }

    private static Task<Shipment> CreateSupsaCargoAsync(ShipmentService.ShipmentServiceClient shipments) =>
        shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 80_000m, Quantity.Types.Unit.MetricTonnes, 7.5m, 2020, 3, 27, "Supsa"),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline()).ResponseAsync;

    private static UpdateShipmentRequest Tonnes(Shipment shipment, int tonnes, string reason = "") => new()
    {
        Shipment = new Shipment
        {
            Name = shipment.Name,
            Quantity = new Quantity
            {
                Value = new Google.Type.Decimal { Value = tonnes.ToString(CultureInfo.InvariantCulture) },
                Unit = Quantity.Types.Unit.MetricTonnes,
                BarrelsPerTonne = new Google.Type.Decimal { Value = "7.5" },
            },
        },
        UpdateMask = FieldMask.FromString("quantity"),
        Reason = reason,
    };

    private static async Task<List<ShipmentRevision>> AllRevisionsAsync(ShipmentService.ShipmentServiceClient shipments, string name) =>
        [.. (await shipments.ListShipmentRevisionsAsync(new ListShipmentRevisionsRequest { Name = name }, Deadline())).Revisions];

    private static async Task<RpcException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    [Fact]
    public async Task A_created_twice_amended_and_cancelled_shipment_has_four_revisions_newest_first_each_as_it_stood()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("revisions");
        var (_, shipments, channel) = await StartAsync(sut);
        using var owned = channel;

        var created = await CreateSupsaCargoAsync(shipments);
        var amended = await shipments.UpdateShipmentAsync(Tonnes(created, 85_000, "  seller's final figures "), Deadline());
        var repriced = await shipments.UpdateShipmentAsync(new UpdateShipmentRequest
        {
            Shipment = new Shipment
            {
                Name = created.Name, Version = 2,
                Value = new Google.Type.Money { CurrencyCode = "USD", Units = 30_000_000 }, DischargePort = "Mozyr",
            },
            Reason = "invoice received",
        }, Deadline());
        var cancelled = await shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = created.Name, Reason = "booked twice" }, Deadline());

        var revisions = await AllRevisionsAsync(shipments, created.Name);

        Assert.Equal([4L, 3L, 2L, 1L], revisions.Select(r => r.Shipment.Version));
        Assert.Equal(new[] { 4, 3, 2, 1 }.Select(v => $"{created.Name}@{v}"), revisions.Select(r => r.Name));
        // Each is the shipment exactly as the call that made that version answered it.
        Assert.Equal([cancelled, repriced, amended, created], revisions.Select(r => r.Shipment));
        Assert.Equal([637_500m, 637_500m, 637_500m, 600_000m], revisions.Select(r => Dec(r.Shipment.Barrels)));
        Assert.Equal([RevisionKind.Cancelled, RevisionKind.Updated, RevisionKind.Updated, RevisionKind.Created], revisions.Select(r => r.Kind));
        Assert.Equal(
            [
                ["state", "cancel_reason"],
                ["value", "discharge_port"],
                ["quantity.value", "barrels", "tonnes"],
                ["shipper", "exporter_country", "importer_country", "origin_country", "grade", "quantity.value", "quantity.unit",
                 "quantity.barrels_per_tonne", "barrels", "tonnes", "load_date", "load_port", "discharge_port", "state"],
            ],
            revisions.Select(r => r.ChangedFields.Paths.ToArray()));
        Assert.All(revisions, r => Assert.Equal((Subject, Client), (r.ActorSubject, r.ActorClient)));
        Assert.Equal(["booked twice", "invoice received", "seller's final figures", ""], revisions.Select(r => r.Reason));

        // update_time is the version's own and grows strictly with it, whatever the clocks: Trade orders versions by it.
        Assert.All(revisions, r => Assert.Equal(r.Shipment.UpdateTime, r.UpdateTime));
        var times = revisions.Select(r => r.UpdateTime.ToDateTimeOffset()).Reverse().ToList();
        Assert.True(times.Zip(times.Skip(1)).All(p => p.First < p.Second), $"update times {string.Join(", ", times.Select(t => t.ToString("O")))}");

        // Written with the versions they record: as many revisions as versions, every one with its event.
        Assert.Equal(4, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipment_revisions"));
        Assert.Equal(4, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task A_version_written_after_one_from_a_replica_whose_clock_runs_ahead_still_gets_a_later_update_time()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("revisions-clock");
        var (_, shipments, channel) = await StartAsync(sut);
        using var owned = channel;
        var created = await CreateSupsaCargoAsync(shipments);
        // As a replica whose clock is an hour ahead would have written it.
        var ahead = DateTimeOffset.UtcNow.AddHours(1);
        await sut.ShipmentsDb.ExecuteAsync(
            $"UPDATE shipments SET update_time = update_time + interval '1 hour' WHERE id = '{created.Name["shipments/".Length..]}'");
        var stored = await shipments.GetShipmentAsync(new GetShipmentRequest { Name = created.Name }, Deadline());
        Assert.True(stored.UpdateTime.ToDateTimeOffset() > ahead.AddMinutes(-5));

        var first = await shipments.UpdateShipmentAsync(Tonnes(created, 81_000), Deadline());
        var second = await shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = created.Name }, Deadline());

        // The smallest step PostgreSQL keeps, once each, rather than this replica's earlier "now".
        Assert.Equal(stored.UpdateTime.ToDateTimeOffset().AddTicks(10), first.UpdateTime.ToDateTimeOffset());
        Assert.Equal(stored.UpdateTime.ToDateTimeOffset().AddTicks(20), second.UpdateTime.ToDateTimeOffset());
        Assert.Equal([second.UpdateTime, first.UpdateTime], (await AllRevisionsAsync(shipments, created.Name)).Take(2).Select(r => r.UpdateTime));
    }

    [Fact]
    public async Task An_update_that_changes_nothing_adds_no_revision_and_a_too_long_reason_is_refused_changing_nothing()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("revisions-noop");
        var (_, shipments, channel) = await StartAsync(sut);
        using var owned = channel;
        var created = await CreateSupsaCargoAsync(shipments);

        var unchanged = await shipments.UpdateShipmentAsync(Tonnes(created, 80_000, "same figures again"), Deadline());
        Assert.Equal(created, unchanged);
        Assert.Single(await AllRevisionsAsync(shipments, created.Name));

        var tooLong = await RefusedAsync(() => shipments.UpdateShipmentAsync(Tonnes(created, 85_000, new string('r', 513)), Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, tooLong.StatusCode);
        var violation = Assert.Single(tooLong.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);
        Assert.Equal("reason", violation.Field);
        Assert.Contains("at most 512 characters", violation.Description);

        Assert.Equal(created, await shipments.GetShipmentAsync(new GetShipmentRequest { Name = created.Name }, Deadline()));
        Assert.Single(await AllRevisionsAsync(shipments, created.Name));
        Assert.Equal(1, await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task Pages_of_one_walk_every_revision_and_a_token_serves_only_its_own_shipment()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("revisions-paging");
        var (_, shipments, channel) = await StartAsync(sut);
        using var owned = channel;
        var created = await CreateSupsaCargoAsync(shipments);
        var other = await CreateSupsaCargoAsync(shipments);
        for (var tonnes = 81_000; tonnes <= 84_000; tonnes += 1_000)
        {
            await shipments.UpdateShipmentAsync(Tonnes(created, tonnes), Deadline());
        }

        var walked = new List<ShipmentRevision>();
        var request = new ListShipmentRevisionsRequest { Name = created.Name, PageSize = 1 };
        var tokens = new List<string>();
        do
        {
            var page = await shipments.ListShipmentRevisionsAsync(request, Deadline());
            walked.Add(Assert.Single(page.Revisions));
            tokens.Add(page.NextPageToken);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal([5L, 4L, 3L, 2L, 1L], walked.Select(r => r.Shipment.Version));
        Assert.Equal([630_000m, 622_500m, 615_000m, 607_500m, 600_000m], walked.Select(r => Dec(r.Shipment.Barrels)));
        Assert.Equal(walked, await AllRevisionsAsync(shipments, created.Name));

        var replayed = await RefusedAsync(() => shipments.ListShipmentRevisionsAsync(
            new ListShipmentRevisionsRequest { Name = other.Name, PageToken = tokens[0] }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, replayed.StatusCode);
        Assert.Equal("page_token", Assert.Single(replayed.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        var negative = await RefusedAsync(() => shipments.ListShipmentRevisionsAsync(
            new ListShipmentRevisionsRequest { Name = created.Name, PageSize = -1 }, Deadline()).ResponseAsync);
        Assert.Equal("page_size", Assert.Single(negative.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }

    [Fact]
    public async Task An_unknown_shipment_is_not_found_a_malformed_name_invalid_and_the_history_is_served_as_json_too()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("revisions-errors");
        var (process, shipments, channel) = await StartAsync(sut);
        using var owned = channel;
        var created = await CreateSupsaCargoAsync(shipments);
        await shipments.CancelShipmentAsync(new CancelShipmentRequest { Name = created.Name, Reason = "did not load" }, Deadline());

        var unknown = $"shipments/{Guid.NewGuid()}";
        var notFound = await RefusedAsync(() => shipments.ListShipmentRevisionsAsync(new ListShipmentRevisionsRequest { Name = unknown }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(unknown, notFound.GetRpcStatus()!.GetDetail<ResourceInfo>().ResourceName);

        var malformed = await RefusedAsync(() => shipments.ListShipmentRevisionsAsync(
            new ListShipmentRevisionsRequest { Name = "shipments/not-a-uuid" }, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        var violation = Assert.Single(malformed.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);
        Assert.Equal(("name", "INVALID_NAME"), (violation.Field, violation.Reason));

        using var http = new HttpClient { BaseAddress = process.HttpUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token(["shipments:read"]));
        var json = JsonDocument.Parse(await http.GetStringAsync($"/v1/{created.Name}:listRevisions?page_size=1")).RootElement;
        var newest = Assert.Single(json.GetProperty("revisions").EnumerateArray());
        Assert.Equal($"{created.Name}@2", newest.GetProperty("name").GetString());
        Assert.Equal("REVISION_KIND_CANCELLED", newest.GetProperty("kind").GetString());
        Assert.Equal("state,cancelReason", newest.GetProperty("changedFields").GetString());
        Assert.Equal("did not load", newest.GetProperty("reason").GetString());
        Assert.Equal("600000.000", newest.GetProperty("shipment").GetProperty("barrels").GetProperty("value").GetString());
        Assert.NotEqual("", json.GetProperty("nextPageToken").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/{unknown}:listRevisions")).StatusCode);

        using var writerOnly = new HttpClient { BaseAddress = process.HttpUrl };
        writerOnly.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token(["shipments:write"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await writerOnly.GetAsync($"/v1/{created.Name}:listRevisions")).StatusCode);
    }
}
