using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Shipments.V1;
using Grpc.Core;
using Outcome = EnergyTrade.Shipments.V1.BatchCreateResult.Types.Outcome;

namespace EnergyTrade.Cli.Tests;

/// <summary>Imports against an in-process fake of ImportShipments that keeps request_ids the way the service does.</summary>
[Trait("Category", "Unit")]
public sealed class ImportCommandTests : IDisposable
{
    private const string Header = "request_id,shipper,exporter_country,importer_country,origin_country,grade,quantity,unit,barrels_per_tonne,value_usd,load_date,delivery_date,load_port,discharge_port";
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"energytrade-import-{Guid.NewGuid():N}.csv");
    private readonly ConcurrentDictionary<string, Shipment> _recorded = new();
    /// <summary>Every chunk the fake received, in order, across streams.</summary>
    private readonly ConcurrentQueue<ImportShipmentsRequest> _chunks = new();
    private int _streams;

    public void Dispose()
    {
        foreach (var path in new[] { _file, _file + ".errors.csv", _file + ".import-state" }) File.Delete(path);
    }

    /// <summary>
    /// Records each new request_id once and answers a repeat as already present, as AIP-155 asks; <paramref name="fail"/>
    /// refuses an item, <paramref name="breakStream"/> ends a stream (by its number, from 1) before the chunk it is about to answer (from 1).
    /// </summary>
    private CliRun Server(Func<CreateShipmentRequest, RpcException?>? fail = null, Func<int, int, RpcException?>? breakStream = null,
        Action<int>? answered = null)
    {
        var run = new CliRun();
        run.Server.OnDuplex<ImportShipmentsRequest, ImportShipmentsResponse>(Replies.Import, (chunks, token) =>
            Answer(chunks, Interlocked.Increment(ref _streams), fail, breakStream, answered, token));
        return run;
    }

    private async IAsyncEnumerable<ImportShipmentsResponse> Answer(IAsyncEnumerable<ImportShipmentsRequest> chunks, int stream,
        Func<CreateShipmentRequest, RpcException?>? fail, Func<int, int, RpcException?>? breakStream, Action<int>? answered,
        [EnumeratorCancellation] CancellationToken token)
    {
        long index = 0;
        var count = 0;
        await foreach (var chunk in chunks.WithCancellation(token))
        {
            if (breakStream?.Invoke(stream, count + 1) is { } broken) throw broken;
            _chunks.Enqueue(chunk);
            var response = new ImportShipmentsResponse();
            foreach (var item in chunk.Requests)
            {
                var result = new ImportResult { Index = index++ };
                if (fail?.Invoke(item) is { } refused)
                {
                    result.Outcome = Outcome.Invalid;
                    result.Status = refused.GetRpcStatus();
                }
                else if (chunk.ValidateOnly)
                {
                    result.Outcome = _recorded.ContainsKey(item.RequestId) ? Outcome.AlreadyPresent : Outcome.Valid;
                }
                else
                {
                    var created = false;
                    var shipment = _recorded.GetOrAdd(item.RequestId, _ =>
                    {
                        created = true;
                        return Replies.Recorded(item, DateTimeOffset.UtcNow);
                    });
                    result.Outcome = created ? Outcome.Created : Outcome.AlreadyPresent;
                    result.Name = shipment.Name;
                }
                response.Results.Add(result);
            }
            count++;
            answered?.Invoke(count);
            yield return response;
        }
    }

    private void WriteFile(params string[] rows) => File.WriteAllLines(_file, ["# test file", Header, .. rows]);

    private static string Row(string id, string unit = "t", string exporter = "AZ") =>
        $"{id},SOCAR,{exporter},BY,AZ,Azeri Light,90000,{unit},7.5,,2020-03-04,,Ceyhan,Odesa";

    private static string[] Rows(int count) => [.. Enumerable.Range(1, count).Select(i => Row($"r{i:000}"))];

    private static JsonElement Report(CliRun run) => JsonDocument.Parse(run.Json.ToString()).RootElement;

    private static (long Created, long Present, long Rejected) Counts(JsonElement report) =>
        (report.GetProperty("created").GetInt64(), report.GetProperty("alreadyPresent").GetInt64(), report.GetProperty("rejected").GetInt64());

    private List<string> SentRequestIds() => [.. _chunks.SelectMany(c => c.Requests).Select(r => r.RequestId)];

    [Fact]
    public async Task Importing_twice_creates_each_row_once_and_then_finds_them_all_present()
    {
        WriteFile(Row("a"), Row("b"), Row("c"));
        var run = Server();

        Assert.Equal(0, await run.RunAsync("shipments", "import", _file, "--output", "json"));
        Assert.Equal((3, 0, 0), Counts(Report(run)));

        Assert.Equal(0, await run.RunAsync("shipments", "import", _file, "--output", "json"));
        var second = Report(run);
        Assert.Equal((0, 3, 0), Counts(second));
        Assert.True(second.GetProperty("complete").GetBoolean());
        Assert.Equal(3, _recorded.Count);
        Assert.False(File.Exists(_file + ".import-state"));
    }

    [Fact]
    public async Task Rows_travel_in_chunks_of_the_chunk_size_in_file_order()
    {
        WriteFile(Rows(5));
        var run = Server();

        Assert.Equal(0, await run.RunAsync("shipments", "import", _file, "--chunk-size", "2"));

        Assert.Equal([2, 2, 1], _chunks.Select(c => c.Requests.Count));
        Assert.Equal(["r001", "r002", "r003", "r004", "r005"], SentRequestIds());
        Assert.All(_chunks, c => Assert.False(c.ValidateOnly));
        Assert.Equal(1, _streams);
    }

    [Fact]
    public async Task Rejected_rows_are_listed_with_line_numbers_and_reasons_in_the_report_and_the_errors_file_and_the_exit_code_is_1()
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
        Assert.Contains($"The rejected rows are listed in {_file}.errors.csv", output);
        Assert.Equal(["a", "d"], _recorded.Keys.Order());
        Assert.Equal(
        [
            "line,request_id,column,problem",
            "4,b,unit,'kg' is not a unit; use bbl or t.",
            "5,c,exporter_country,'XX' is not an officially assigned ISO 3166-1 alpha-2 code.",
            "5,c,quantity,must be at most 1000000000.",
        ], File.ReadAllLines(_file + ".errors.csv"));
    }

    [Fact]
    public async Task The_report_shows_the_first_rejections_and_the_errors_file_holds_them_all()
    {
        WriteFile([.. Enumerable.Range(1, 25).Select(i => Row($"bad{i:00}", unit: "kg")), Row("good")]);
        var run = Server();

        Assert.Equal(1, await run.RunAsync("shipments", "import", _file));

        var output = run.Out.ToString();
        Assert.Contains("bad20", output);
        Assert.DoesNotContain("bad21", output);
        Assert.Contains($"All 25 rejected rows are listed in {_file}.errors.csv", output);
        Assert.Equal(26, File.ReadAllLines(_file + ".errors.csv").Length);
        Assert.Equal(["good"], _recorded.Keys);
    }

    [Fact]
    public async Task A_stream_that_breaks_is_opened_again_and_its_unanswered_chunks_are_sent_again_so_each_row_is_recorded_once()
    {
        WriteFile(Rows(10));
        // The first stream answers two chunks, then the service goes away.
        var run = Server(breakStream: (stream, chunk) => stream == 1 && chunk == 3 ? Rpc.DatabaseUnavailable() : null);

        Assert.Equal(0, await run.RunAsync("shipments", "import", _file, "--chunk-size", "2", "--output", "json"));

        Assert.Equal((10, 0, 0), Counts(Report(run)));
        Assert.Equal(2, _streams);
        Assert.Equal(10, _recorded.Count);
        // The second stream starts with the first chunk the first did not answer.
        Assert.Equal(["r001", "r002", "r003", "r004", "r005", "r006", "r007", "r008", "r009", "r010"], SentRequestIds());
    }

    [Fact]
    public async Task A_service_unreachable_at_first_is_retried_with_backoff()
    {
        WriteFile(Row("a"));
        var run = Server(breakStream: (stream, _) => stream <= 2 ? Rpc.ConnectionRefused() : null);

        Assert.Equal(0, await run.RunAsync("shipments", "import", _file));

        Assert.Equal(3, _streams);
        Assert.Equal(2, run.Delays.Count);
        Assert.Single(_recorded);
    }

    [Fact]
    public async Task A_service_that_stays_down_stops_the_import_with_a_sentence_naming_the_url_and_the_rows_not_attempted()
    {
        WriteFile(Row("a"), Row("b"), Row("c"));
        var run = Server(breakStream: (_, _) => Rpc.ConnectionRefused());

        var exit = await run.RunAsync("shipments", "import", _file, "--chunk-size", "1");

        Assert.Equal(1, exit);
        var error = run.Error.ToString();
        Assert.Contains("Could not reach the Shipments service at http://localhost:5101", error);
        Assert.Contains("scripts/up.sh", error);
        Assert.Contains("Run it again to resume there", error);
        Assert.Matches(@"not attempted\s+3\b", run.Out.ToString());
        Assert.Empty(_recorded);
    }

    [Fact]
    public async Task An_interrupted_import_resumes_after_its_last_settled_line_and_its_counts_cover_the_whole_file()
    {
        WriteFile(Rows(8));
        using var ctrlC = new CancellationTokenSource();
        var first = Server(answered: chunk =>
        {
            if (chunk == 2) ctrlC.Cancel();
        });
        first.Cancellation = ctrlC.Token;

        Assert.Equal(130, await first.RunAsync("shipments", "import", _file, "--chunk-size", "1", "--window", "1", "--output", "json"));
        var interrupted = Report(first);
        var settled = interrupted.GetProperty("interruptedAfterLine").GetInt32();
        Assert.Contains("Run the same command again to resume", first.Error.ToString());
        Assert.True(File.Exists(_file + ".import-state"));
        // Line 3 holds r001: two or three rows were answered before the import stopped sending.
        Assert.InRange(settled, 4, 5);
        var recordedFirst = _recorded.Count;
        Assert.Equal(settled - 2, recordedFirst);
        _chunks.Clear();

        var second = Server();
        Assert.Equal(0, await second.RunAsync("shipments", "import", _file, "--output", "json"));

        Assert.Contains($"after line {settled}", second.Error.ToString());
        var report = Report(second);
        Assert.Equal((8, 0, 0), Counts(report));
        Assert.Equal(settled, report.GetProperty("resumedAfterLine").GetInt32());
        Assert.Equal([.. Enumerable.Range(recordedFirst + 1, 8 - recordedFirst).Select(i => $"r{i:000}")], SentRequestIds());
        Assert.Equal(8, _recorded.Count);
        Assert.False(File.Exists(_file + ".import-state"));
    }

    [Fact]
    public async Task An_edited_file_is_imported_from_its_first_line_rather_than_resumed()
    {
        WriteFile(Rows(4));
        using var ctrlC = new CancellationTokenSource();
        var first = Server(answered: chunk =>
        {
            if (chunk == 1) ctrlC.Cancel();
        });
        first.Cancellation = ctrlC.Token;
        Assert.Equal(130, await first.RunAsync("shipments", "import", _file, "--chunk-size", "1", "--window", "1"));
        File.AppendAllLines(_file, [Row("r005")]);
        _chunks.Clear();

        var second = Server();
        Assert.Equal(0, await second.RunAsync("shipments", "import", _file, "--output", "json"));

        Assert.DoesNotContain("Resuming", second.Error.ToString());
        Assert.Equal(5, SentRequestIds().Count);
        Assert.Equal(5, _recorded.Count);
        Assert.Equal(5, Report(second).GetProperty("rows").GetInt64());
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
    public async Task A_dry_run_checks_every_row_on_the_service_and_records_nothing()
    {
        WriteFile(Row("a"), Row("b", unit: "kg"), Row("c", exporter: "XX"));
        var run = Server(fail: r => r.Shipment.ExporterCountry == "XX"
            ? Rpc.InvalidArgument(("shipment.exporter_country", "'XX' is not an officially assigned ISO 3166-1 alpha-2 code."))
            : null);

        Assert.Equal(1, await run.RunAsync("shipments", "import", _file, "--dry-run"));

        Assert.All(_chunks, c => Assert.True(c.ValidateOnly));
        Assert.Equal(["a", "c"], SentRequestIds());
        Assert.Empty(_recorded);
        var output = run.Out.ToString();
        Assert.Contains("nothing recorded (dry run)", output);
        Assert.Contains("valid     1", output);
        Assert.Contains("'kg' is not a unit", output);
        Assert.Contains("'XX' is not an officially assigned", output);
        Assert.False(File.Exists(_file + ".import-state"));
    }

    [Fact]
    public async Task Chunk_size_and_window_out_of_range_are_usage_errors()
    {
        WriteFile(Row("a"));
        var run = Server();
        Assert.Equal(2, await run.RunAsync("shipments", "import", _file, "--chunk-size", "1001"));
        Assert.Equal(2, await run.RunAsync("shipments", "import", _file, "--window", "0"));
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task An_errors_file_that_cannot_be_written_is_a_usage_error_before_anything_is_sent()
    {
        WriteFile(Row("a"));
        var run = Server();

        Assert.Equal(2, await run.RunAsync("shipments", "import", _file, "--errors", "/nonexistent-folder/errors.csv"));

        Assert.Contains("Give --errors a file you can write", run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task A_clean_import_leaves_no_errors_file_and_replaces_the_one_an_earlier_import_left()
    {
        File.WriteAllText(_file + ".errors.csv", "line,request_id,column,problem\n9,x,unit,old\n");
        WriteFile(Row("a"));
        var run = Server();

        Assert.Equal(0, await run.RunAsync("shipments", "import", _file));

        Assert.False(File.Exists(_file + ".errors.csv"));
        Assert.DoesNotContain("listed in", run.Out.ToString());
    }

    [Fact]
    public async Task Ctrl_C_after_the_last_row_was_read_but_before_it_was_answered_is_an_interruption_not_a_success()
    {
        WriteFile(Rows(2));
        using var ctrlC = new CancellationTokenSource();
        var run = Server(breakStream: (stream, _) =>
        {
            if (stream == 2) ctrlC.Cancel();
            return Rpc.DatabaseUnavailable();
        });
        run.Cancellation = ctrlC.Token;

        Assert.Equal(130, await run.RunAsync("shipments", "import", _file, "--chunk-size", "1"));

        Assert.Contains("Run the same command again to resume", run.Error.ToString());
        Assert.True(File.Exists(_file + ".import-state"));
        Assert.Empty(_recorded);
    }

    [Fact]
    public async Task A_dry_run_keeps_its_rejections_apart_and_leaves_a_real_imports_errors_file_and_checkpoint_alone()
    {
        WriteFile(Row("a"), Row("b", unit: "kg"));
        File.WriteAllText(_file + ".errors.csv", "line,request_id,column,problem\n9,x,unit,from the real import\n");
        File.WriteAllText(_file + ".import-state", "{}");
        var run = Server();

        Assert.Equal(1, await run.RunAsync("shipments", "import", _file, "--dry-run", "--restart"));

        Assert.Contains("from the real import", File.ReadAllText(_file + ".errors.csv"));
        Assert.True(File.Exists(_file + ".import-state"));
        Assert.Contains("'kg' is not a unit", File.ReadAllText(_file + ".dry-run-errors.csv"));
        File.Delete(_file + ".dry-run-errors.csv");
    }

    [Fact]
    public async Task Chunks_close_before_the_services_request_limit_however_many_rows_are_allowed()
    {
        var name = new string('x', 128);
        WriteFile([.. Enumerable.Range(1, 600).Select(i => $"r{i:000},{name},AZ,BY,AZ,{name},90000,t,7.5,,2020-03-04,,{name},{name}")]);
        var run = Server();

        Assert.Equal(0, await run.RunAsync("shipments", "import", _file, "--chunk-size", "1000"));

        Assert.True(_chunks.Count > 1, "600 long rows went in one chunk");
        Assert.All(_chunks, c => Assert.True(c.CalculateSize() <= 200 * 1024, $"a chunk of {c.CalculateSize():N0} bytes"));
        Assert.Equal(600, _recorded.Count);
    }
}
