using System.Text.Json;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Shipments.V1;
using Google.Protobuf.WellKnownTypes;

namespace EnergyTrade.Cli.Tests;

/// <summary>shipments history: every version of a shipment, every page, as a table or as one ListShipmentRevisionsResponse.</summary>
[Trait("Category", "Unit")]
public sealed class HistoryCommandTests
{
    private const string ListRevisions = "ListShipmentRevisions";

    private static ShipmentRevision Revision(Shipment shipment, RevisionKind kind, string reason, string subject, string client, params string[] changed) => new()
    {
        Name = $"{shipment.Name}@{shipment.Version}",
        Shipment = shipment,
        UpdateTime = shipment.UpdateTime,
        Kind = kind,
        ChangedFields = new FieldMask { Paths = { changed } },
        ActorSubject = subject,
        ActorClient = client,
        Reason = reason,
    };

    /// <summary>The Urals cargo recorded, amended to 85,000 t and cancelled, in two pages as a service with page size 2 sends it.</summary>
    private static CliRun WithUralsHistory(RevisionKind firstKind = RevisionKind.Created, long firstVersion = 1)
    {
        var created = Replies.UralsCargo();
        created.Version = firstVersion;
        var amended = created.Clone();
        amended.Version = firstVersion + 1;
        amended.Quantity.Value = ProtoValues.Decimal(85_000m);
        amended.Barrels = ProtoValues.Decimal(616_250.000m);
        amended.Tonnes = ProtoValues.Decimal(85_000.000m);
        amended.UpdateTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 3, 9, 30, 0, TimeSpan.Zero));
        var cancelled = amended.Clone();
        cancelled.Version = firstVersion + 2;
        cancelled.State = Shipment.Types.State.Cancelled;
        cancelled.CancelReason = "booked twice";
        cancelled.UpdateTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 4, 10, 0, 0, TimeSpan.Zero));
        var first = firstKind == RevisionKind.Recorded
            ? Revision(created, firstKind, "", "", "")
            : Revision(created, firstKind, "", "importer@naftan.example", "energytrade-cli", "shipper", "quantity.value", "barrels");

        var run = new CliRun();
        run.Server.On<ListShipmentRevisionsRequest, ListShipmentRevisionsResponse>(ListRevisions, r => r.PageToken switch
        {
            "" => new ListShipmentRevisionsResponse
            {
                Revisions =
                {
                    Revision(cancelled, RevisionKind.Cancelled, "booked twice", "ops@socar.example", "ops@socar.example", "state", "cancel_reason"),
                    Revision(amended, RevisionKind.Updated, "seller's final invoice", "trader@socar.example", "energytrade-cli", "quantity.value", "barrels", "tonnes"),
                },
                NextPageToken = "p2",
            },
            "p2" => new ListShipmentRevisionsResponse { Revisions = { first } },
            _ => throw new InvalidOperationException(),
        });
        return run;
    }

    [Fact]
    public async Task The_table_shows_every_version_newest_first_with_what_changed_who_and_why()
    {
        var run = WithUralsHistory();

        Assert.Equal(0, await run.RunAsync("shipments", "history", "5b0c2f4e-1a3d-4e6f-8a9b-0c1d2e3f4a5b"));

        var calls = run.Server.CallsTo(ListRevisions).Select(c => (ListShipmentRevisionsRequest)c.Request).ToList();
        Assert.Equal([(Replies.UralsName, ""), (Replies.UralsName, "p2")], calls.Select(c => (c.Name, c.PageToken)));
        var text = run.Out.ToString();
        Assert.Contains($"{Replies.UralsName}: 3 version(s) on record, newest first.", text);
        Assert.Matches(@"│\s+3 │ 2026-01-04 10:00:00 UTC │ cancelled\s+│ state, cancel_reason\s+│ ops@socar.example\s+│ booked twice\s+│\s+616,250 bbl │ cancelled │", text);
        Assert.Matches(@"│\s+2 │ 2026-01-03 09:30:00 UTC │ amended\s+│ quantity.value, barrels, tonnes\s+│ trader@socar.example \(energytrade-cli\)\s+│ seller's final invoice\s+│\s+616,250 bbl │ active\s+│", text);
        Assert.Matches(@"│\s+1 │ 2026-01-02 03:04:05 UTC │ created\s+│ \(all\)\s+│ importer@naftan.example \(energytrade-cli\)\s+│\s+│\s+580,000 bbl │ active\s+│", text);
        Assert.DoesNotContain("not known", text);
    }

    [Fact]
    public async Task A_history_that_starts_with_a_recorded_version_says_the_earlier_ones_are_not_known()
    {
        var run = WithUralsHistory(RevisionKind.Recorded, firstVersion: 4);

        Assert.Equal(0, await run.RunAsync("shipments", "history", Replies.UralsName));

        var text = run.Out.ToString();
        Assert.Matches(@"│\s+4 │ 2026-01-02 03:04:05 UTC │ recorded\s+│\s+│\s+│\s+│\s+580,000 bbl │ active\s+│", text);
        Assert.Contains("Versions before 4 were made before Shipments kept revisions and are not known.", text);
    }

    [Fact]
    public async Task Json_is_one_response_with_every_revision()
    {
        var run = WithUralsHistory();

        await run.RunAsync("shipments", "history", Replies.UralsName, "--output", "json");

        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        var revisions = json.GetProperty("revisions").EnumerateArray().ToList();
        Assert.Equal([$"{Replies.UralsName}@3", $"{Replies.UralsName}@2", $"{Replies.UralsName}@1"], revisions.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal("REVISION_KIND_UPDATED", revisions[1].GetProperty("kind").GetString());
        Assert.Equal("quantity.value,barrels,tonnes", revisions[1].GetProperty("changedFields").GetString());
        Assert.Equal("616250.000", revisions[1].GetProperty("shipment").GetProperty("barrels").GetProperty("value").GetString());
        Assert.Equal("", json.GetProperty("nextPageToken").GetString());
        Assert.Equal("", run.Out.ToString());
    }

    [Fact]
    public async Task It_reads_with_only_the_shipments_read_scope()
    {
        var run = WithUralsHistory();
        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "local-development-signing-key-0123456789";

        await run.RunAsync("shipments", "history", Replies.UralsName);

        Assert.All(run.Server.CallsTo(ListRevisions), call =>
            Assert.Equal("shipments:read", TokenTests.Claims(call.Authorization!["Bearer ".Length..]).GetProperty("scope").GetString()));
    }

    [Fact]
    public async Task An_unknown_shipment_is_reported_and_nothing_else_is_asked()
    {
        var run = new CliRun();
        run.Server.On<ListShipmentRevisionsRequest, ListShipmentRevisionsResponse>(ListRevisions, r =>
            throw new global::Grpc.Core.RpcException(new global::Grpc.Core.Status(global::Grpc.Core.StatusCode.NotFound, $"{r.Name} does not exist.")));

        Assert.Equal(1, await run.RunAsync("shipments", "history", Replies.UralsName));

        Assert.Contains($"{Replies.UralsName} does not exist.", run.Error.ToString());
        Assert.Single(run.Server.Calls);
    }
}
