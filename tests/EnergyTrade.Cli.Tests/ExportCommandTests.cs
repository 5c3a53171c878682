using System.Runtime.CompilerServices;
using EnergyTrade.Cli.Csv;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Shipments.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EnergyTrade.Cli.Tests;

/// <summary>shipments export against a fake ExportShipments stream: CSV the import reads back, NDJSON, and the file it leaves.</summary>
[Trait("Category", "Unit")]
public sealed class ExportCommandTests : IDisposable
{
    private const string Export = "ExportShipments";
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"energytrade-export-{Guid.NewGuid():N}.csv");

    public void Dispose()
    {
        File.Delete(_file);
        File.Delete(_file + ".partial");
    }

    /// <summary>Shipments as the service answers them, with what a CSV must quote or leave empty: a comma, a quote, no value, no origin.</summary>
    private static List<Shipment> Stored() =>
    [
        Cargo(1, "SOCAR", "AZ", 90_000.5m, Quantity.Types.Unit.MetricTonnes, 7.5m, 25_000_000.25m, new DateOnly(2020, 3, 28), new DateOnly(2020, 4, 4)),
        Cargo(2, "Trafigura, \"Geneva\"", "", 700_000m, Quantity.Types.Unit.Barrels, 7.33m, null, new DateOnly(2020, 3, 2), null),
        Cargo(3, "#1 Oil", "KZ", 100m, Quantity.Types.Unit.Barrels, 7.6m, 0.01m, new DateOnly(2020, 2, 1), null),
    ];

    private static Shipment Cargo(int n, string shipper, string origin, decimal quantity, Quantity.Types.Unit unit, decimal factor, decimal? usd,
        DateOnly loadDate, DateOnly? deliveryDate)
    {
        var shipment = new Shipment
        {
            Name = $"shipments/00000000-0000-0000-0000-00000000000{n}",
            Shipper = shipper,
            Buyer = n == 1 ? "Naftan" : "",
            ExporterCountry = "AZ",
            ImporterCountry = "BY",
            OriginCountry = origin,
            Grade = "Azeri Light",
            Quantity = new Quantity { Value = ProtoValues.Decimal(quantity), Unit = unit, BarrelsPerTonne = ProtoValues.Decimal(factor) },
            Barrels = ProtoValues.Decimal(123.456m),
            Tonnes = ProtoValues.Decimal(16.844m),
            LoadDate = ProtoValues.Date(loadDate),
            LoadPort = "Supsa",
            DischargePort = n == 1 ? "Odesa" : "",
            State = EnergyTrade.Shipments.V1.Shipment.Types.State.Active,
            Version = n,
            CreateTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 5, 16, 9, 0, 0, TimeSpan.Zero).AddTicks(1234560)),
            UpdateTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 5, 17, 9, 0, 0, TimeSpan.Zero)),
        };
        if (usd is { } value) shipment.Value = ProtoValues.Money(value);
        if (deliveryDate is { } delivered) shipment.DeliveryDate = ProtoValues.Date(delivered);
        return shipment;
    }

    /// <summary>A fake server that streams <paramref name="shipments"/> in pages of <paramref name="pageSize"/>, then fails with <paramref name="failAfter"/> if given.</summary>
    private static CliRun Server(IReadOnlyList<Shipment> shipments, int pageSize = 2, RpcException? failAfter = null)
    {
        var run = new CliRun();
        run.Server.OnStream<ExportShipmentsRequest, ExportShipmentsResponse>(Export, (_, cancellationToken) => Pages(shipments, pageSize, failAfter, cancellationToken));
        return run;
    }

    private static async IAsyncEnumerable<ExportShipmentsResponse> Pages(IReadOnlyList<Shipment> shipments, int pageSize, RpcException? failAfter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var chunk in shipments.Chunk(pageSize))
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ExportShipmentsResponse { Shipments = { chunk } };
        }
        if (failAfter is not null) throw failAfter;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Csv_output_is_a_header_the_import_knows_and_one_row_per_shipment_with_every_figure_as_the_service_sent_it()
    {
        var run = Server(Stored());

        var exit = await run.RunAsync("shipments", "export", "--exporter", "az", "--from", "2020-02", "--to", "2020-03");

        Assert.Equal(0, exit);
        var request = (ExportShipmentsRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal("AZ", request.ExporterCountry);
        Assert.Equal((2020, 2, 1), (request.FirstLoadDate.Year, request.FirstLoadDate.Month, request.FirstLoadDate.Day));
        Assert.Equal((2020, 3, 31), (request.LastLoadDate.Year, request.LastLoadDate.Month, request.LastLoadDate.Day));
        var lines = Lines(run.Json.ToString());
        Assert.Equal(4, lines.Length);
        Assert.Equal("request_id,shipper,exporter_country,importer_country,origin_country,grade,quantity,unit,barrels_per_tonne,value_usd," +
            "load_date,delivery_date,load_port,discharge_port,buyer,name,version,state,barrels,tonnes,create_time,update_time", lines[0]);
        var name = "shipments/00000000-0000-0000-0000-000000000001";
        Assert.Equal($"{name},SOCAR,AZ,BY,AZ,Azeri Light,90000.5,t,7.5,25000000.25,2020-03-28,2020-04-04,Supsa,Odesa,Naftan," +
            $"{name},1,active,123.456,16.844,2026-05-16T09:00:00.123456Z,2026-05-17T09:00:00Z", lines[1]);
        Assert.Contains(",\"Trafigura, \"\"Geneva\"\"\",AZ,BY,,Azeri Light,700000,bbl,7.33,,2020-03-02,,Supsa,,,", lines[2]);
        Assert.Equal("", run.Error.ToString());
    }

    [Fact]
    public async Task Ndjson_output_is_one_shipment_per_line_in_the_proto_json_mapping()
    {
        var stored = Stored();
        var run = Server(stored);

        Assert.Equal(0, await run.RunAsync("shipments", "export", "--format", "ndjson"));

        var lines = Lines(run.Json.ToString());
        Assert.Equal(stored, lines.Select(line => JsonParser.Default.Parse<Shipment>(line)));
    }

    [Fact]
    public async Task An_exported_csv_read_back_by_the_import_gives_the_same_shipments_with_their_names_as_request_ids()
    {
        var stored = Stored();
        var run = Server(stored);

        Assert.Equal(0, await run.RunAsync("shipments", "export", "--file", _file));

        Assert.False(File.Exists(_file + ".partial"));
        Assert.Contains("Exported 3 shipments to", run.Error.ToString());
        var csv = CsvShipmentReader.Read(_file);
        Assert.Null(csv.FileError);
        Assert.Empty(csv.Errors);
        Assert.Equal(stored.Count, csv.Rows.Count);
        foreach (var (row, original) in csv.Rows.Zip(stored))
        {
            var create = row.Draft.ToRequest();
            Assert.Equal(original.Name, create.RequestId);
            // What a create takes: the shipment less what the service assigns.
            var expected = original.Clone();
            expected.Name = "";
            expected.Barrels = null;
            expected.Tonnes = null;
            expected.State = EnergyTrade.Shipments.V1.Shipment.Types.State.Unspecified;
            expected.Version = 0;
            expected.CreateTime = null;
            expected.UpdateTime = null;
            Assert.Equal(expected, create.Shipment);
        }
    }

    [Fact]
    public async Task A_cancelled_shipment_in_an_export_is_refused_by_the_import_rather_than_recorded_as_active()
    {
        var stored = Stored();
        stored[1].State = EnergyTrade.Shipments.V1.Shipment.Types.State.Cancelled;
        var run = Server(stored);

        Assert.Equal(0, await run.RunAsync("shipments", "export"));

        var csv = CsvShipmentReader.Read(new StringReader(run.Json.ToString()));
        Assert.Equal([stored[0].Name, stored[2].Name], csv.Rows.Select(r => r.Draft.RequestId));
        var refused = Assert.Single(csv.Errors);
        Assert.Equal(stored[1].Name, refused.RequestId);
        Assert.Contains(refused.Problems, p => p.Field == CsvColumns.State && p.Description.Contains("shipments cancel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_export_that_fails_midway_leaves_no_file_and_says_so()
    {
        var run = Server(Stored(), pageSize: 1, failAfter: Rpc.DatabaseUnavailable());

        var exit = await run.RunAsync("shipments", "export", "--file", _file);

        Assert.Equal(1, exit);
        Assert.False(File.Exists(_file));
        Assert.False(File.Exists(_file + ".partial"));
        Assert.Contains("Shipments", run.Error.ToString());
    }

    [Fact]
    public async Task An_export_to_standard_output_that_fails_midway_says_the_rows_written_are_incomplete()
    {
        var run = Server(Stored(), pageSize: 1, failAfter: Rpc.DatabaseUnavailable());

        Assert.Equal(1, await run.RunAsync("shipments", "export", "--format", "ndjson"));

        Assert.Equal(3, Lines(run.Json.ToString()).Length);
        Assert.Contains("stopped after 3 shipments, so the output is incomplete", run.Error.ToString());
    }

    [Theory]
    [InlineData("--format", "xml", "--format 'xml' is not a format; use csv or ndjson.")]
    [InlineData("--output", "json", "--output does not apply to an export; use --format csv or --format ndjson.")]
    [InlineData("--output", "csv", "--output does not apply to an export; use --format csv or --format ndjson.")]
    [InlineData("--from", "2020-13", "--from")]
    public async Task A_bad_option_is_a_usage_error_and_nothing_is_sent(string option, string value, string message)
    {
        var run = Server(Stored());

        Assert.Equal(2, await run.RunAsync("shipments", "export", option, value));

        Assert.Contains(message, run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }
}
