using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Tests;

/// <summary>The command line, parsed all the way to the request that goes on the wire.</summary>
[Trait("Category", "Unit")]
public sealed class CommandLineTests
{
    private static CliRun WithCreate()
    {
        var run = new CliRun();
        run.Server.On<CreateShipmentRequest, Shipment>(Replies.Create, r => Replies.Recorded(r, DateTimeOffset.UtcNow));
        return run;
    }

    [Fact]
    public async Task Create_sends_every_option_as_exact_values()
    {
        var run = WithCreate();

        var exit = await run.RunAsync("shipments", "create", "--exporter", "az", "--importer", "BY", "--origin", "AZ", "--grade", "Azeri Light",
            "--quantity", "85000", "--unit", "t", "--barrels-per-tonne", "7.45", "--value-usd", "25000000.10", "--load-date", "2020-03-28",
            "--delivery-date", "2020-04-02", "--load-port", "Supsa", "--discharge-port", "Odesa", "--shipper", "SOCAR", "--request-id", "my-id");

        Assert.Equal(0, exit);
        var request = (CreateShipmentRequest)Assert.Single(run.Server.Calls).Request;
        var s = request.Shipment;
        Assert.Equal("my-id", request.RequestId);
        Assert.Equal(("SOCAR", "AZ", "BY", "AZ", "Azeri Light"), (s.Shipper, s.ExporterCountry, s.ImporterCountry, s.OriginCountry, s.Grade));
        Assert.Equal("85000", s.Quantity.Value.Value);
        Assert.Equal(Quantity.Types.Unit.MetricTonnes, s.Quantity.Unit);
        Assert.Equal("7.45", s.Quantity.BarrelsPerTonne.Value);
        Assert.Equal((25_000_000L, 100_000_000, "USD"), (s.Value.Units, s.Value.Nanos, s.Value.CurrencyCode));
        Assert.Equal((2020, 3, 28), (s.LoadDate.Year, s.LoadDate.Month, s.LoadDate.Day));
        Assert.Equal((2020, 4, 2), (s.DeliveryDate.Year, s.DeliveryDate.Month, s.DeliveryDate.Day));
        Assert.Equal(("Supsa", "Odesa"), (s.LoadPort, s.DischargePort));
        Assert.Contains("Recorded shipments/", run.Out.ToString());
        Assert.Contains("85,000 t at 7.45 bbl/t", run.Out.ToString());
    }

    [Fact]
    public async Task Create_without_a_request_id_sends_a_fresh_uuid_so_retries_stay_safe()
    {
        var run = WithCreate();

        await run.RunAsync("shipments", "create", "--exporter", "AZ", "--importer", "BY", "--origin", "AZ", "--grade", "Azeri Light",
            "--quantity", "700000", "--unit", "bbl", "--load-date", "2020-01-20");

        var request = (CreateShipmentRequest)Assert.Single(run.Server.Calls).Request;
        Assert.True(Guid.TryParse(request.RequestId, out _));
        Assert.Equal(Quantity.Types.Unit.Barrels, request.Shipment.Quantity.Unit);
        Assert.Null(request.Shipment.Quantity.BarrelsPerTonne);
        Assert.Null(request.Shipment.Value);
        Assert.Null(request.Shipment.DeliveryDate);
    }

    [Fact]
    public async Task Create_lists_every_bad_option_and_sends_nothing()
    {
        var run = WithCreate();

        var exit = await run.RunAsync("shipments", "create", "--exporter", "AZ", "--quantity", "85,000", "--unit", "kg", "--load-date", "28.03.2020");

        Assert.Equal(2, exit);
        Assert.Empty(run.Server.Calls);
        var error = run.Error.ToString();
        foreach (var expected in new[] { "--importer is required", "--origin is required", "--grade is required", "--quantity '85,000' is not a number", "--unit 'kg' is not a unit", "--load-date '28.03.2020' is not a date" })
        {
            Assert.Contains(expected, error);
        }
    }

    [Fact]
    public async Task Service_urls_come_from_the_option_else_the_environment_else_the_default()
    {
        var run = new CliRun();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ => Replies.SeedTotals());
        run.Server.On<GetShipmentRequest, Shipment>(Replies.Get, r => new Shipment { Name = r.Name });

        await run.RunAsync("trade", "totals", "AZ", "BY");
        run.Variables["ENERGYTRADE_TRADE_URL"] = "http://trade.example:7000";
        await run.RunAsync("trade", "totals", "AZ", "BY");
        await run.RunAsync("trade", "totals", "AZ", "BY", "--trade-url", "https://trade.internal:443");
        await run.RunAsync("shipments", "get", "abc");

        Assert.Equal(["http://localhost:5201/", "http://trade.example:7000/", "https://trade.internal/", "http://localhost:5101/"],
            run.Urls.Select(u => u.ToString()));
    }

    [Fact]
    public async Task A_bad_url_is_a_usage_error_naming_where_it_came_from()
    {
        var run = new CliRun();
        run.Variables["ENERGYTRADE_SHIPMENTS_URL"] = "localhost:5101";

        var exit = await run.RunAsync("shipments", "get", "shipments/x");

        Assert.Equal(2, exit);
        Assert.Contains("ENERGYTRADE_SHIPMENTS_URL 'localhost:5101' is not an http:// or https:// URL", run.Error.ToString());
    }

    [Fact]
    public async Task Every_call_carries_a_deadline_of_the_timeout()
    {
        var run = WithCreate();
        var before = DateTime.UtcNow;

        await run.RunAsync("shipments", "create", "--exporter", "AZ", "--importer", "BY", "--origin", "AZ", "--grade", "Azeri Light",
            "--quantity", "1", "--unit", "t", "--load-date", "2020-01-01", "--timeout", "2.5");

        var deadline = Assert.Single(run.Server.Calls).Deadline!.Value;
        Assert.InRange(deadline - before, TimeSpan.FromSeconds(2.4), TimeSpan.FromSeconds(3.5));
    }

    [Theory]
    [InlineData("--output", "xml", "--output 'xml' is not a format")]
    [InlineData("--timeout", "0", "--timeout 0 is out of range")]
    [InlineData("--from", "2020-13", "--from '2020-13' is not a month")]
    [InlineData("--basis", "customs", "--basis 'customs' is not a basis")]
    public async Task Bad_global_and_command_options_are_usage_errors(string option, string value, string message)
    {
        var run = new CliRun();

        var exit = await run.RunAsync("trade", "totals", "AZ", "BY", option, value);

        Assert.Equal(2, exit);
        Assert.Contains(message, run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task Totals_months_are_sent_as_dates_with_day_zero()
    {
        var run = new CliRun();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ => Replies.SeedTotals());

        await run.RunAsync("trade", "totals", "az", "by", "--from", "2020-01", "--to", "2020-04", "--basis", "origin");

        var request = (GetBilateralTotalsRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(("AZ", "BY"), (request.Country, request.Partner));
        Assert.Equal((2020, 1, 0), (request.FirstMonth.Year, request.FirstMonth.Month, request.FirstMonth.Day));
        Assert.Equal((2020, 4, 0), (request.LastMonth.Year, request.LastMonth.Month, request.LastMonth.Day));
        Assert.Equal(EnergyTrade.Types.V1.Basis.Origin, request.Basis);
    }

    [Fact]
    public async Task A_reversed_month_range_is_refused()
    {
        var run = new CliRun();
        Assert.Equal(2, await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-04", "--to", "2020-01"));
        Assert.Contains("--from 2020-04 is after --to 2020-01", run.Error.ToString());
    }

    [Fact]
    public async Task List_takes_months_as_whole_months_and_fetches_every_page_with_all()
    {
        var run = new CliRun();
        run.Server.On<ListShipmentsRequest, ListShipmentsResponse>(Replies.List, r => r.PageToken switch
        {
            "" => new ListShipmentsResponse { Shipments = { new Shipment { Name = "shipments/1" } }, NextPageToken = "p2" },
            "p2" => new ListShipmentsResponse { Shipments = { new Shipment { Name = "shipments/2" } } },
            _ => throw new InvalidOperationException(),
        });

        var exit = await run.RunAsync("shipments", "list", "--exporter", "az", "--from", "2020-03", "--to", "2020-03", "--page-size", "1", "--all");

        Assert.Equal(0, exit);
        var requests = run.Server.Calls.Select(c => (ListShipmentsRequest)c.Request).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal("AZ", requests[0].ExporterCountry);
        Assert.Equal((2020, 3, 1), (requests[0].FirstLoadDate.Year, requests[0].FirstLoadDate.Month, requests[0].FirstLoadDate.Day));
        Assert.Equal((2020, 3, 31), (requests[0].LastLoadDate.Year, requests[0].LastLoadDate.Month, requests[0].LastLoadDate.Day));
        Assert.Equal(1, requests[0].PageSize);
        Assert.Equal("p2", requests[1].PageToken);
        Assert.Contains("│ 1 ", run.Out.ToString());
        Assert.Contains("│ 2 ", run.Out.ToString());
    }

    [Fact]
    public async Task List_all_with_json_output_writes_one_shipment_per_line_as_each_page_comes_asking_for_the_largest_pages()
    {
        var run = new CliRun();
        run.Server.On<ListShipmentsRequest, ListShipmentsResponse>(Replies.List, r => r.PageToken switch
        {
            "" => new ListShipmentsResponse { Shipments = { new Shipment { Name = "shipments/1" }, new Shipment { Name = "shipments/2" } }, NextPageToken = "p2" },
            "p2" => new ListShipmentsResponse { Shipments = { new Shipment { Name = "shipments/3" } } },
            _ => throw new InvalidOperationException(),
        });

        Assert.Equal(0, await run.RunAsync("shipments", "list", "--all", "--output", "json"));

        var lines = run.Json.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["shipments/1", "shipments/2", "shipments/3"], lines.Select(line => Google.Protobuf.JsonParser.Default.Parse<Shipment>(line).Name));
        Assert.All(run.Server.Calls, call => Assert.Equal(1000, ((ListShipmentsRequest)call.Request).PageSize));
    }

    [Fact]
    public async Task Get_accepts_a_bare_id()
    {
        var run = new CliRun();
        run.Server.On<GetShipmentRequest, Shipment>(Replies.Get, r => new Shipment { Name = r.Name });

        await run.RunAsync("shipments", "get", "0b4f6c9e");

        Assert.Equal("shipments/0b4f6c9e", ((GetShipmentRequest)Assert.Single(run.Server.Calls).Request).Name);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("shipments", "--help")]
    [InlineData("shipments", "create", "--help")]
    [InlineData("shipments", "get", "--help")]
    [InlineData("shipments", "list", "--help")]
    [InlineData("shipments", "import", "--help")]
    [InlineData("shipments", "export", "--help")]
    [InlineData("trade", "--help")]
    [InlineData("shipments", "amend", "--help")]
    [InlineData("shipments", "cancel", "--help")]
    [InlineData("shipments", "republish", "--help")]
    [InlineData("trade", "totals", "--help")]
    [InlineData("trade", "series", "--help")]
    [InlineData("trade", "partners", "--help")]
    [InlineData("trade", "watch", "--help")]
    [InlineData("reconcile", "--help")]
    [InlineData("token", "--help")]
    public async Task Every_command_has_help(params string[] args)
    {
        var run = new CliRun();

        Assert.Equal(0, await run.RunAsync(args));

        Assert.Contains("USAGE:", run.Out.ToString());
        Assert.Empty(run.Server.Calls);
    }

    [Theory]
    [InlineData("trade", "totals")]
    [InlineData("shipments", "amend")]
    [InlineData("trade", "watch")]
    [InlineData("reconcile")]
    public async Task Command_help_lists_the_global_options(params string[] command)
    {
        var run = new CliRun();
        await run.RunAsync([.. command, "--help"]);
        foreach (var option in new[] { "--shipments-url", "--trade-url", "--output", "--timeout", "ENERGYTRADE_TRADE_URL" })
        {
            Assert.Contains(option, run.Out.ToString());
        }
    }

    [Fact]
    public async Task The_new_commands_are_listed_in_the_help()
    {
        var run = new CliRun();
        await run.RunAsync("shipments", "--help");
        var shipments = run.Out.ToString();
        await run.RunAsync("trade", "--help");
        var trade = run.Out.ToString();
        await run.RunAsync("--help");
        var root = run.Out.ToString();

        foreach (var command in new[] { "amend", "cancel", "republish" }) Assert.Contains(command, shipments);
        foreach (var command in new[] { "totals", "series", "partners", "watch" }) Assert.Contains(command, trade);
        Assert.Contains("reconcile", root);
    }

    [Fact]
    public async Task An_unknown_command_is_a_usage_error()
    {
        var run = new CliRun();
        Assert.Equal(2, await run.RunAsync("shipments", "delete"));
    }

    [Fact]
    public async Task A_mistyped_option_is_a_usage_error_naming_it_rather_than_a_different_question()
    {
        var run = new CliRun();
        Assert.Equal(2, await run.RunAsync("trade", "totals", "AZ", "BY", "--form", "2020-01"));
        Assert.Contains("form", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Urls);
    }
}
