using System.Text.Json;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Shipments.V1;
using Grpc.Core;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class CancelAndRepublishTests
{
    private static readonly DateTimeOffset ServerNow = new(2026, 5, 2, 10, 0, 0, TimeSpan.Zero);

    private static (CliRun Run, FakeShipments Shipments) WithUrals()
    {
        // The fake server's clock and ours agree, as NTP keeps them.
        var clock = new ManualClock(ServerNow);
        var run = new CliRun { Clock = clock };
        run.Server.ServerNow = () => clock.Now;
        return (run, new FakeShipments(run.Server, Replies.UralsCargo(), () => clock.Now));
    }

    [Fact]
    public async Task Cancel_sends_the_name_reason_and_version()
    {
        var (run, shipments) = WithUrals();

        Assert.Equal(0, await run.RunAsync("shipments", "cancel", "5b0c2f4e-1a3d-4e6f-8a9b-0c1d2e3f4a5b", "--reason", " cargo did not load ", "--version", "1"));

        var request = (CancelShipmentRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal((Replies.UralsName, 1L, "cargo did not load"), (request.Name, request.Version, request.Reason));
        Assert.Equal(Shipment.Types.State.Cancelled, shipments.Stored.State);
        var text = run.Out.ToString();
        Assert.Contains($"Cancelled {Replies.UralsName} (now version 2). It stays on record and counts in no total", text);
        Assert.Contains("cancelled, version 2", text);
        Assert.Contains("cargo did not load", text);
    }

    [Fact]
    public async Task Cancel_without_a_version_sends_zero_so_the_service_checks_none()
    {
        var (run, _) = WithUrals();

        await run.RunAsync("shipments", "cancel", Replies.UralsName);

        var request = (CancelShipmentRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal((0L, ""), (request.Version, request.Reason));
    }

    [Fact]
    public async Task Cancelling_again_says_it_was_already_cancelled()
    {
        var (run, shipments) = WithUrals();
        await run.RunAsync("shipments", "cancel", Replies.UralsName, "--reason", "cargo did not load");
        ((ManualClock)run.Clock).Now += TimeSpan.FromMinutes(5);

        Assert.Equal(0, await run.RunAsync("shipments", "cancel", Replies.UralsName));

        Assert.Contains($"{Replies.UralsName} was already cancelled (version 2); nothing changed.", run.Out.ToString());
        Assert.Equal(2, shipments.Stored.Version);
    }

    [Fact]
    public async Task Cancel_json_is_the_cancelled_shipment()
    {
        var (run, _) = WithUrals();

        await run.RunAsync("shipments", "cancel", Replies.UralsName, "--reason", "duplicate", "-o", "json");

        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.Equal("STATE_CANCELLED", json.GetProperty("state").GetString());
        Assert.Equal("duplicate", json.GetProperty("cancelReason").GetString());
        Assert.Equal("", run.Out.ToString());
    }

    [Fact]
    public async Task A_stale_version_is_refused()
    {
        var (run, _) = WithUrals();

        Assert.Equal(1, await run.RunAsync("shipments", "cancel", Replies.UralsName, "--version", "7"));

        Assert.Contains("is at version 1, not 7", run.Error.ToString());
    }

    [Fact]
    public async Task A_lost_answer_says_the_shipment_may_be_cancelled_and_repeating_is_safe()
    {
        var run = new CliRun();
        run.Server.On<CancelShipmentRequest, Shipment>(Replies.Cancel, _ => throw new RpcException(new Status(StatusCode.DeadlineExceeded, "")));

        Assert.Equal(1, await run.RunAsync("shipments", "cancel", Replies.UralsName, "--timeout", "3"));

        var error = run.Error.ToString();
        Assert.Contains("did not answer within 3 s", error);
        Assert.Contains("may have been cancelled all the same; repeating the command is safe", error);
        Assert.DoesNotContain("request_id", error);
    }

    private const string Operation = "operations/0193c4a2-7f00-7000-8000-00000000aaaa";

    /// <summary>A republish of <paramref name="total"/> shipments that the fake server reports running once, then done.</summary>
    private static CliRun WithRepublish(long total, Google.Rpc.Status? error = null)
    {
        var run = new CliRun();
        var polls = 0;
        run.Server.On<RepublishShipmentsRequest, Google.LongRunning.Operation>(Replies.StartRepublish, r => State(r, total, 0, finished: false));
        run.Server.On<Google.LongRunning.GetOperationRequest, Google.LongRunning.Operation>(Replies.GetOperation, r =>
        {
            Assert.Equal(Operation, r.Name);
            var done = ++polls >= 2;
            var state = State(new RepublishShipmentsRequest(), total, done ? total : total / 2, done);
            if (done && error is not null) state.Error = error;
            else if (done) state.Response = Google.Protobuf.WellKnownTypes.Any.Pack(new RepublishShipmentsResponse { RepublishedCount = total });
            return state;
        });
        return run;
    }

    private static Google.LongRunning.Operation State(RepublishShipmentsRequest request, long total, long done, bool finished) => new()
    {
        Name = Operation,
        Done = finished,
        Metadata = Google.Protobuf.WellKnownTypes.Any.Pack(new RepublishShipmentsMetadata { Request = request, TotalCount = total, RepublishedCount = done }),
    };

    [Fact]
    public async Task Republish_sends_the_filters_follows_the_operation_to_the_end_and_warns_it_is_asynchronous()
    {
        var run = WithRepublish(1234);

        Assert.Equal(0, await run.RunAsync("shipments", "republish", "--exporter", "az", "--importer", "BY", "--origin", "ru", "--from", "2020-03", "--to", "2020-04"));

        var request = (RepublishShipmentsRequest)run.Server.CallsTo(Replies.StartRepublish).Single().Request;
        Assert.Equal(("AZ", "BY", "RU"), (request.ExporterCountry, request.ImporterCountry, request.OriginCountry));
        Assert.Equal((2020, 3, 1), (request.FirstLoadDate.Year, request.FirstLoadDate.Month, request.FirstLoadDate.Day));
        Assert.Equal((2020, 4, 30), (request.LastLoadDate.Year, request.LastLoadDate.Month, request.LastLoadDate.Day));
        Assert.Equal(2, run.Server.CallsTo(Replies.GetOperation).Count());
        Assert.Contains("Republished 1,234 shipments", run.Out.ToString());
        Assert.Contains("warning: Publishing is asynchronous", run.Error.ToString());
        Assert.Contains("reconcile", run.Error.ToString());
    }

    [Fact]
    public async Task Republish_without_filters_republishes_everything()
    {
        var run = WithRepublish(5);

        await run.RunAsync("shipments", "republish");

        Assert.Equal(new RepublishShipmentsRequest(), run.Server.CallsTo(Replies.StartRepublish).Single().Request);
    }

    [Fact]
    public async Task Republish_json_prints_the_finished_operation_and_warns_on_standard_error()
    {
        var run = WithRepublish(5);

        await run.RunAsync("shipments", "republish", "--output", "json");

        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.True(json.GetProperty("done").GetBoolean());
        Assert.Equal("5", json.GetProperty("response").GetProperty("republishedCount").GetString());
        Assert.Equal("", run.Out.ToString());
        Assert.Contains("asynchronous", run.Error.ToString());
    }

    [Fact]
    public async Task Republishing_nothing_says_so_without_a_warning()
    {
        var run = WithRepublish(0);

        Assert.Equal(0, await run.RunAsync("shipments", "republish", "--origin", "NO"));

        Assert.Contains("No shipments match; nothing was republished.", run.Out.ToString());
        Assert.DoesNotContain("warning", run.Error.ToString());
    }

    [Fact]
    public async Task A_republish_that_failed_says_why_and_exits_1()
    {
        var run = WithRepublish(10, new Google.Rpc.Status { Code = 13, Message = "Failed after 5 shipments were republished: disk full." });

        Assert.Equal(1, await run.RunAsync("shipments", "republish"));

        Assert.Contains("disk full", run.Error.ToString());
    }

    [Fact]
    public async Task No_wait_prints_the_operation_and_does_not_follow_it()
    {
        var run = WithRepublish(10);

        Assert.Equal(0, await run.RunAsync("shipments", "republish", "--no-wait"));

        Assert.Contains(Operation, run.Out.ToString());
        Assert.Empty(run.Server.CallsTo(Replies.GetOperation));
    }

    [Fact]
    public async Task Cancel_stops_the_operation_and_shows_how_far_it_got()
    {
        var run = WithRepublish(10);
        run.Server.On<Google.LongRunning.CancelOperationRequest, Google.Protobuf.WellKnownTypes.Empty>(Replies.CancelOperation, _ => new());

        await run.RunAsync("shipments", "republish", "--cancel", Operation);

        Assert.Equal(Operation, ((Google.LongRunning.CancelOperationRequest)run.Server.CallsTo(Replies.CancelOperation).Single().Request).Name);
        Assert.Empty(run.Server.CallsTo(Replies.StartRepublish));
    }

    [Fact]
    public async Task Republish_needs_the_admin_scope()
    {
        var run = WithRepublish(0);
        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "local-development-signing-key-0123456789";

        await run.RunAsync("shipments", "republish");

        var token = run.Server.CallsTo(Replies.StartRepublish).Single().Authorization!["Bearer ".Length..];
        Assert.Equal("shipments:admin", TokenTests.Claims(token).GetProperty("scope").GetString());
    }

    [Theory]
    [InlineData("--from", "2020-13")]
    [InlineData("--to", "yesterday")]
    public async Task Republish_refuses_bad_dates(string option, string value)
    {
        var run = new CliRun();
        Assert.Equal(2, await run.RunAsync("shipments", "republish", option, value));
        Assert.Empty(run.Server.Calls);
    }
}
