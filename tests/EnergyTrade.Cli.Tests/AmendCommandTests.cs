using System.Text.Json;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.Cli.Tests;

/// <summary>shipments amend: the update_mask is exactly the options given, and the output shows each field before and after.</summary>
[Trait("Category", "Unit")]
public sealed class AmendCommandTests
{
    private static (CliRun Run, FakeShipments Shipments) WithUrals()
    {
        var run = new CliRun();
        return (run, new FakeShipments(run.Server, Replies.UralsCargo()));
    }

    private static UpdateShipmentRequest SentUpdate(CliRun run) => (UpdateShipmentRequest)Assert.Single(run.Server.CallsTo(Replies.Update)).Request;

    [Fact]
    public async Task The_quantity_options_together_are_one_quantity_path()
    {
        var (run, _) = WithUrals();

        var exit = await run.RunAsync("shipments", "amend", Replies.UralsName, "--quantity", "85000", "--unit", "t", "--barrels-per-tonne", "7.5");

        Assert.Equal(0, exit);
        var request = SentUpdate(run);
        Assert.Equal(["quantity"], request.UpdateMask.Paths);
        Assert.Equal(Replies.UralsName, request.Shipment.Name);
        Assert.Equal(("85000", Quantity.Types.Unit.MetricTonnes, "7.5"),
            (request.Shipment.Quantity.Value.Value, request.Shipment.Quantity.Unit, request.Shipment.Quantity.BarrelsPerTonne.Value));
    }

    [Fact]
    public async Task The_mask_names_exactly_the_options_given_and_nothing_else_is_sent()
    {
        var (run, _) = WithUrals();

        await run.RunAsync("shipments", "amend", Replies.UralsName, "--grade", "Urals Heavy", "--value-usd", "41000000.50", "--load-date", "2020-03-16",
            "--origin", "kz", "--discharge-port", "Yuzhny");

        var request = SentUpdate(run);
        Assert.Equal(["origin_country", "grade", "value", "load_date", "discharge_port"], request.UpdateMask.Paths);
        var s = request.Shipment;
        Assert.Equal(("KZ", "Urals Heavy", "Yuzhny"), (s.OriginCountry, s.Grade, s.DischargePort));
        Assert.Equal((41_000_000L, 500_000_000, "USD"), (s.Value.Units, s.Value.Nanos, s.Value.CurrencyCode));
        Assert.Equal((2020, 3, 16), (s.LoadDate.Year, s.LoadDate.Month, s.LoadDate.Day));
        // Fields outside the mask stay unset, so the request says only what changes.
        Assert.Null(s.Quantity);
        Assert.Equal("", s.Shipper);
    }

    [Fact]
    public async Task Quantity_options_left_out_keep_what_is_recorded()
    {
        var (run, shipments) = WithUrals();

        await run.RunAsync("shipments", "amend", Replies.UralsName, "--quantity", "85000");

        var quantity = SentUpdate(run).Shipment.Quantity;
        Assert.Equal(("85000", Quantity.Types.Unit.MetricTonnes, "7.25"), (quantity.Value.Value, quantity.Unit, quantity.BarrelsPerTonne.Value));
        Assert.Equal("616250.000", shipments.Stored.Barrels.Value);
    }

    [Fact]
    public async Task None_and_empty_values_remove_optional_fields()
    {
        var (run, _) = WithUrals();

        await run.RunAsync("shipments", "amend", Replies.UralsName, "--barrels-per-tonne", "none", "--value-usd", "none", "--delivery-date", "none",
            "--load-port", "");

        var request = SentUpdate(run);
        Assert.Equal(["quantity", "value", "delivery_date", "load_port"], request.UpdateMask.Paths);
        Assert.Null(request.Shipment.Quantity.BarrelsPerTonne);
        Assert.Equal("80000", request.Shipment.Quantity.Value.Value);
        Assert.Null(request.Shipment.Value);
        Assert.Null(request.Shipment.DeliveryDate);
        Assert.Equal("", request.Shipment.LoadPort);
    }

    [Fact]
    public async Task The_table_shows_the_new_version_and_the_figures_before_and_after()
    {
        var (run, _) = WithUrals();

        Assert.Equal(0, await run.RunAsync("shipments", "amend", "5b0c2f4e-1a3d-4e6f-8a9b-0c1d2e3f4a5b", "--quantity", "85000", "--barrels-per-tonne", "7.5"));

        var text = run.Out.ToString();
        Assert.Contains($"Amended {Replies.UralsName}: version 1 → 2.", text);
        Assert.Matches(@"Field\s+│ Before \(version 1\)\s+│ After \(version 2\)\s+│\s+Change", text);
        Assert.Matches(@"Quantity\s+│ 80,000 t at 7.25 bbl/t\s+│ 85,000 t at 7.5 bbl/t\s+│", text);
        Assert.Matches(@"Barrels\s+│ 580,000 bbl\s+│ 637,500 bbl\s+│\s+\+57,500 bbl │", text);
        Assert.Matches(@"Tonnes\s+│ 80,000 t\s+│ 85,000 t\s+│\s+\+5,000 t │", text);
    }

    [Fact]
    public async Task Text_fields_alone_get_no_change_column()
    {
        var (run, _) = WithUrals();

        await run.RunAsync("shipments", "amend", Replies.UralsName, "--grade", "REBCO");

        Assert.Matches(@"Grade\s+│ Urals\s+│ REBCO\s+│", run.Out.ToString());
        Assert.DoesNotContain("Change", run.Out.ToString());
    }

    [Fact]
    public async Task Amending_to_what_is_recorded_says_nothing_changed()
    {
        var (run, _) = WithUrals();

        Assert.Equal(0, await run.RunAsync("shipments", "amend", Replies.UralsName, "--quantity", "80000"));

        Assert.Contains("Nothing to change", run.Out.ToString());
        Assert.Contains("still version 1", run.Out.ToString());
    }

    [Fact]
    public async Task The_reason_is_sent_with_the_update_and_is_not_a_field_to_amend()
    {
        var (run, _) = WithUrals();

        Assert.Equal(0, await run.RunAsync("shipments", "amend", Replies.UralsName, "--quantity", "85000", "--reason", " seller's final invoice "));

        var request = SentUpdate(run);
        Assert.Equal("seller's final invoice", request.Reason);
        Assert.Equal(["quantity"], request.UpdateMask.Paths);

        Assert.Equal(2, await run.RunAsync("shipments", "amend", Replies.UralsName, "--reason", "no change at all"));
        Assert.Contains("Nothing to amend", run.Error.ToString());
    }

    [Fact]
    public async Task Json_output_is_the_amended_shipment()
    {
        var (run, _) = WithUrals();

        await run.RunAsync("shipments", "amend", Replies.UralsName, "--quantity", "85000", "--barrels-per-tonne", "7.5", "-o", "json");

        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.Equal("2", json.GetProperty("version").GetString());
        Assert.Equal("637500.000", json.GetProperty("barrels").GetProperty("value").GetString());
        Assert.Equal("", run.Out.ToString());
    }

    [Fact]
    public async Task Without_version_the_version_read_is_sent_and_a_concurrent_change_is_re_read_and_re_applied()
    {
        var (run, shipments) = WithUrals();
        var raced = false;
        shipments.BeforeUpdate = () =>
        {
            if (raced) return;
            raced = true;
            // Someone else corrects the port between our read and our write.
            shipments.Stored = shipments.Stored.Clone();
            shipments.Stored.LoadPort = "Primorsk";
            shipments.Stored.Version = 2;
        };

        Assert.Equal(0, await run.RunAsync("shipments", "amend", Replies.UralsName, "--quantity", "85000"));

        var updates = run.Server.CallsTo(Replies.Update).Select(c => (UpdateShipmentRequest)c.Request).ToList();
        Assert.Equal([1L, 2L], updates.Select(u => u.Shipment.Version));
        Assert.Equal(2, run.Server.CallsTo(Replies.Get).Count());
        Assert.Equal((3L, "Primorsk", "85000"), (shipments.Stored.Version, shipments.Stored.LoadPort, shipments.Stored.Quantity.Value.Value));
        Assert.Contains("version 2 → 3", run.Out.ToString());
    }

    [Fact]
    public async Task A_stale_version_given_is_refused_with_the_services_explanation()
    {
        var (run, shipments) = WithUrals();
        shipments.Stored.Version = 3;

        var exit = await run.RunAsync("shipments", "amend", Replies.UralsName, "--quantity", "85000", "--version", "2");

        Assert.Equal(1, exit);
        Assert.Equal(2, SentUpdate(run).Shipment.Version);
        Assert.Contains("is at version 3, not 2: it changed since you read it", run.Error.ToString());
        Assert.Equal(80000m, decimal.Parse(shipments.Stored.Quantity.Value.Value));
    }

    [Fact]
    public async Task A_cancelled_shipment_cannot_be_amended()
    {
        var (run, shipments) = WithUrals();
        shipments.Stored.State = Shipment.Types.State.Cancelled;

        Assert.Equal(1, await run.RunAsync("shipments", "amend", Replies.UralsName, "--grade", "REBCO"));

        Assert.Contains($"error: {Replies.UralsName} is cancelled and can no longer be updated.", run.Error.ToString());
    }

    [Fact]
    public async Task Field_violations_are_listed()
    {
        var (run, _) = WithUrals();
        run.Server.On<UpdateShipmentRequest, Shipment>(Replies.Update, _ => throw Rpc.InvalidArgument(
            ("shipment.quantity.barrels_per_tonne", "must be within 5–10"), ("shipment.origin_country", "'XX' is not an officially assigned code")));

        Assert.Equal(1, await run.RunAsync("shipments", "amend", Replies.UralsName, "--barrels-per-tonne", "12", "--origin", "XX"));

        var error = run.Error.ToString();
        Assert.Contains("Shipments rejected the request: 2 fields are invalid.", error);
        Assert.Contains("shipment.quantity.barrels_per_tonne: must be within 5–10.", error);
        Assert.Contains("shipment.origin_country: 'XX' is not an officially assigned code.", error);
    }

    [Fact]
    public async Task Reading_and_writing_each_carry_only_their_own_scope()
    {
        var (run, _) = WithUrals();
        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "local-development-signing-key-0123456789";

        await run.RunAsync("shipments", "amend", Replies.UralsName, "--grade", "REBCO");

        string Scope(string method) => TokenTests.Claims(run.Server.CallsTo(method).Single().Authorization!["Bearer ".Length..]).GetProperty("scope").GetString()!;
        Assert.Equal("shipments:read", Scope(Replies.Get));
        Assert.Equal("shipments:write", Scope(Replies.Update));
    }

    [Theory]
    [InlineData(new[] { "--quantity", "85,000" }, "--quantity '85,000' is not a number")]
    [InlineData(new[] { "--unit", "kg" }, "--unit 'kg' is not a unit")]
    [InlineData(new[] { "--value-usd", "lots" }, "--value-usd 'lots' is not a number")]
    [InlineData(new[] { "--load-date", "15.03.2020" }, "--load-date '15.03.2020' is not a date")]
    [InlineData(new[] { "--grade", "X", "--version", "0" }, "--version 0 is not a version")]
    [InlineData(new string[0], "Nothing to amend: give at least one of --shipper")]
    public async Task Bad_options_are_usage_errors_and_nothing_is_sent(string[] options, string message)
    {
        var (run, _) = WithUrals();

        Assert.Equal(2, await run.RunAsync(["shipments", "amend", Replies.UralsName, .. options]));

        Assert.Contains(message, run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }
}
