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

    [Fact]
    public async Task Republish_sends_the_filters_prints_the_count_and_warns_it_is_asynchronous()
    {
        var run = new CliRun();
        run.Server.On<RepublishShipmentsRequest, RepublishShipmentsResponse>(Replies.Republish, _ => new RepublishShipmentsResponse { RepublishedCount = 1234 });

        Assert.Equal(0, await run.RunAsync("shipments", "republish", "--exporter", "az", "--importer", "BY", "--origin", "ru", "--from", "2020-03", "--to", "2020-04"));

        var request = (RepublishShipmentsRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(("AZ", "BY", "RU"), (request.ExporterCountry, request.ImporterCountry, request.OriginCountry));
        Assert.Equal((2020, 3, 1), (request.FirstLoadDate.Year, request.FirstLoadDate.Month, request.FirstLoadDate.Day));
        Assert.Equal((2020, 4, 30), (request.LastLoadDate.Year, request.LastLoadDate.Month, request.LastLoadDate.Day));
        Assert.Contains("Republished 1,234 shipments", run.Out.ToString());
        Assert.Contains("warning: Publishing is asynchronous", run.Error.ToString());
        Assert.Contains("reconcile", run.Error.ToString());
    }

    [Fact]
    public async Task Republish_without_filters_republishes_everything()
    {
        var run = new CliRun();
        run.Server.On<RepublishShipmentsRequest, RepublishShipmentsResponse>(Replies.Republish, _ => new RepublishShipmentsResponse { RepublishedCount = 5 });

        await run.RunAsync("shipments", "republish");

        Assert.Equal(new RepublishShipmentsRequest(), Assert.Single(run.Server.Calls).Request);
    }

    [Fact]
    public async Task Republish_json_keeps_standard_output_parseable_and_warns_on_standard_error()
    {
        var run = new CliRun();
        run.Server.On<RepublishShipmentsRequest, RepublishShipmentsResponse>(Replies.Republish, _ => new RepublishShipmentsResponse { RepublishedCount = 5 });

        await run.RunAsync("shipments", "republish", "--output", "json");

        Assert.Equal("5", JsonDocument.Parse(run.Json.ToString()).RootElement.GetProperty("republishedCount").GetString());
        Assert.Equal("", run.Out.ToString());
        Assert.Contains("asynchronous", run.Error.ToString());
    }

    [Fact]
    public async Task Republishing_nothing_says_so_without_a_warning()
    {
        var run = new CliRun();
        run.Server.On<RepublishShipmentsRequest, RepublishShipmentsResponse>(Replies.Republish, _ => new RepublishShipmentsResponse());

        Assert.Equal(0, await run.RunAsync("shipments", "republish", "--origin", "NO"));

        Assert.Contains("No shipments match; nothing was republished.", run.Out.ToString());
        Assert.Equal("", run.Error.ToString());
    }

    [Fact]
    public async Task Republish_needs_only_the_write_scope()
    {
        var run = new CliRun();
        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "local-development-signing-key-0123456789";
        run.Server.On<RepublishShipmentsRequest, RepublishShipmentsResponse>(Replies.Republish, _ => new RepublishShipmentsResponse());

        await run.RunAsync("shipments", "republish");

        var token = Assert.Single(run.Server.Calls).Authorization!["Bearer ".Length..];
        Assert.Equal("shipments:write", TokenTests.Claims(token).GetProperty("scope").GetString());
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
