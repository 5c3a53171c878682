using System.Collections.Concurrent;
using System.Text.Json;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Shipments.V1;
using Grpc.Core;

namespace EnergyTrade.Cli.Tests;

/// <summary>Imports against an in-process fake of CreateShipment that keeps request_ids the way the service does.</summary>
[Trait("Category", "Unit")]
public sealed class ImportCommandTests : IDisposable
{
    private const string Header = "request_id,shipper,exporter_country,importer_country,origin_country,grade,quantity,unit,barrels_per_tonne,value_usd,load_date,delivery_date,load_port,discharge_port";
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"energytrade-import-{Guid.NewGuid():N}.csv");
    private readonly ConcurrentDictionary<string, Shipment> _recorded = new();

    public void Dispose() => File.Delete(_file);

    /// <summary>Records each new request_id once and answers a repeat with the original, as AIP-155 asks.</summary>
    private CliRun Server(Func<DateTimeOffset>? serverNow = null, Func<CreateShipmentRequest, RpcException?>? fail = null)
    {
        var run = new CliRun();
        serverNow ??= () => DateTimeOffset.UtcNow;
        run.Server.ServerNow = serverNow;
        run.Server.On<CreateShipmentRequest, Shipment>(Replies.Create, r =>
        {
            if (fail?.Invoke(r) is { } error) throw error;
            return _recorded.GetOrAdd(r.RequestId, _ => Replies.Recorded(r, serverNow()));
        });
        return run;
    }

    private void WriteFile(params string[] rows) => File.WriteAllLines(_file, ["# test file", Header, .. rows]);

    private static string Row(string id, string unit = "t", string exporter = "AZ") =>
        $"{id},SOCAR,{exporter},BY,AZ,Azeri Light,90000,{unit},7.5,,2020-03-04,,Ceyhan,Odesa";

    [Fact]
    public async Task Importing_twice_creates_each_row_once_and_then_finds_them_all_present()
    {
        WriteFile(Row("a"), Row("b"), Row("c"));
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 16, 9, 0, 0, TimeSpan.Zero));
        var run = Server(serverNow: clock.GetUtcNow);
        run.Clock = clock;

        Assert.Equal(0, await run.RunAsync("shipments", "import", _file, "--output", "json"));
        // The Date header has whole seconds, so a re-run within a second or so could count early rows as new.
        clock.Now += TimeSpan.FromMinutes(10);
        var first = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.Equal((3, 0, 0), (first.GetProperty("created").GetInt32(), first.GetProperty("alreadyPresent").GetInt32(), first.GetProperty("rejected").GetInt32()));

        Assert.Equal(0, await run.RunAsync("shipments", "import", _file, "--output", "json"));
        var second = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.Equal((0, 3, 0), (second.GetProperty("created").GetInt32(), second.GetProperty("alreadyPresent").GetInt32(), second.GetProperty("rejected").GetInt32()));
        Assert.Equal(3, _recorded.Count);
        Assert.Equal(["a", "b", "c"], second.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("requestId").GetString()));
        Assert.All(second.GetProperty("rows").EnumerateArray(), r => Assert.Equal("ALREADY_PRESENT", r.GetProperty("result").GetString()));
    }

    [Fact]
    public async Task A_server_clock_minutes_behind_ours_does_not_make_new_rows_look_old()
    {
        WriteFile(Row("a"));
        var run = Server(serverNow: () => DateTimeOffset.UtcNow.AddMinutes(-7));

        await run.RunAsync("shipments", "import", _file);

        Assert.Contains("created          1", run.Out.ToString());
    }

    [Fact]
    public async Task Rejected_rows_are_listed_with_line_numbers_and_reasons_and_the_exit_code_is_1()
    {
        // Line 1 comment, 2 header; the CSV error is on line 4, the service's rejection on line 5.
        WriteFile(Row("a"), Row("b", unit: "kg"), Row("c", exporter: "XX"), Row("d"));
        var run = Server(fail: r => r.Shipment.ExporterCountry == "XX"
            ? Rpc.InvalidArgument(("shipment.exporter_country", "'XX' is not an officially assigned ISO 3166-1 alpha-2 code."),
                ("shipment.quantity.value", "must be at most 1000000000."))
            : null);

        var exit = await run.RunAsync("shipments", "import", _file);

        Assert.Equal(1, exit);
        var output = run.Out.ToString();
        Assert.Contains("created          2", output);
        Assert.Contains("rejected         2", output);
        Assert.Matches(@"│\s+4 │ b\s+│ unit\s+│ 'kg' is not a unit; use bbl or t\.", output);
        Assert.Matches(@"│\s+5 │ c\s+│ exporter_country\s+│ 'XX' is not an officially assigned", output);
        Assert.Matches(@"│\s+5 │ c\s+│ quantity\s+│ must be at most", output);
        Assert.Equal(["a", "d"], _recorded.Keys.Order());
    }

    [Fact]
    public async Task Unavailable_is_retried_with_the_same_request_id()
    {
        WriteFile(Row("a"));
        var attempts = new ConcurrentQueue<string>();
        var run = Server(fail: r =>
        {
            attempts.Enqueue(r.RequestId);
            return attempts.Count <= 2 ? Rpc.ConnectionRefused() : null;
        });

        Assert.Equal(0, await run.RunAsync("shipments", "import", _file));

        Assert.Equal(["a", "a", "a"], attempts);
        Assert.Equal(2, run.Delays.Count);
        Assert.Single(_recorded);
    }

    [Fact]
    public async Task A_service_that_stays_down_stops_the_import_with_a_sentence_naming_the_url()
    {
        WriteFile(Row("a"), Row("b"), Row("c"));
        var run = Server(fail: _ => Rpc.ConnectionRefused());

        var exit = await run.RunAsync("shipments", "import", _file, "--parallel", "1");

        Assert.Equal(1, exit);
        var error = run.Error.ToString();
        Assert.Contains("Could not reach the Shipments service at http://localhost:5101", error);
        Assert.Contains("scripts/up.sh", error);
        Assert.Contains("running it again is safe", error);
        Assert.Contains("not attempted", run.Out.ToString());
        Assert.Empty(_recorded);
    }

    [Fact]
    public async Task Rows_are_sent_with_a_write_scoped_token_when_a_signing_key_is_set()
    {
        WriteFile(Row("a"));
        var run = Server();
        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "local-development-signing-key-0123456789";

        await run.RunAsync("shipments", "import", _file);

        var authorization = Assert.Single(run.Server.Calls).Authorization;
        Assert.NotNull(authorization);
        var claims = TokenTests.Claims(authorization["Bearer ".Length..]);
        Assert.Equal("shipments:write", claims.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_file_with_a_missing_column_is_refused_before_anything_is_sent()
    {
        File.WriteAllLines(_file, [Header.Replace(",unit", ""), "a,SOCAR,AZ,BY,AZ,Azeri Light,90000,7.5,,2020-03-04,,Ceyhan,Odesa"]);
        var run = Server();

        Assert.Equal(1, await run.RunAsync("shipments", "import", _file));

        Assert.Contains("line 1", run.Error.ToString());
        Assert.Contains("unit: required column is missing", run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error()
    {
        var run = Server();
        Assert.Equal(2, await run.RunAsync("shipments", "import", _file + ".nope"));
        Assert.Contains("Cannot read", run.Error.ToString());
    }

    [Fact]
    public async Task A_dry_run_checks_the_file_and_sends_nothing()
    {
        WriteFile(Row("a"), Row("b", unit: "kg"));
        var run = Server();

        Assert.Equal(1, await run.RunAsync("shipments", "import", _file, "--dry-run"));

        Assert.Empty(run.Server.Calls);
        Assert.Contains("valid     1", run.Out.ToString());
        Assert.Contains("'kg' is not a unit", run.Out.ToString());
    }
}
