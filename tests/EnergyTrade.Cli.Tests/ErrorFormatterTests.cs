using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Tests.Support;
using Grpc.Core;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class ErrorFormatterTests
{
    private static readonly ServiceEndpoint Shipments = new("Shipments", new Uri("http://localhost:5101"));
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Invalid_argument_lists_every_field_violation()
    {
        var error = ErrorFormatter.Format(Rpc.InvalidArgument(
            ("shipment.exporter_country", "'XX' is not an officially assigned ISO 3166-1 alpha-2 code"),
            ("shipment.quantity.value", "must be greater than zero.")), Shipments, Timeout);

        Assert.Equal("Shipments rejected the request: 2 fields are invalid.", error.Summary);
        Assert.Equal([
            "shipment.exporter_country: 'XX' is not an officially assigned ISO 3166-1 alpha-2 code.",
            "shipment.quantity.value: must be greater than zero.",
        ], error.Details);
    }

    [Fact]
    public void Unreachable_service_names_the_url_and_how_to_start_it()
    {
        var error = ErrorFormatter.Format(Rpc.ConnectionRefused(), Shipments, Timeout);

        Assert.Contains("Could not reach the Shipments service at http://localhost:5101", error.Summary);
        Assert.Contains("Connection refused", error.Summary);
        Assert.Contains("may not be running", error.Summary);
        Assert.Contains("scripts/up.sh", error.Summary);
        Assert.Contains("--shipments-url", error.Summary);
    }

    [Fact]
    public void Unavailable_from_the_service_itself_says_nothing_was_changed()
    {
        var error = ErrorFormatter.Format(Rpc.DatabaseUnavailable(), Shipments, Timeout);

        Assert.Contains("is unavailable: The shipments database is unreachable.", error.Summary);
        Assert.Contains("Nothing was changed", error.Summary);
    }

    [Fact]
    public void A_reused_request_id_names_the_earlier_shipment()
    {
        var error = ErrorFormatter.Format(Rpc.AlreadyExists("seed-1", "shipments/abc"), Shipments, Timeout);

        Assert.Contains("request_id 'seed-1' was already used for shipments/abc", error.Summary);
        Assert.DoesNotContain("The earlier shipment", error.Summary);
    }

    [Fact]
    public void Missing_token_says_how_to_get_one()
    {
        var error = ErrorFormatter.Format(new RpcException(new Status(StatusCode.Unauthenticated, "")), Shipments, Timeout);

        Assert.Contains("no valid token", error.Summary);
        Assert.Contains("energytrade login", error.Summary);
        Assert.Contains("ENERGYTRADE_CLIENT_ID and ENERGYTRADE_CLIENT_SECRET", error.Summary);
        Assert.Contains("ENERGYTRADE_TOKEN", error.Summary);
        // The services' own key is no way for a person to sign in.
        Assert.DoesNotContain("ENERGYTRADE_SIGNING_KEY", error.Summary);
    }

    [Fact]
    public void Deadline_names_the_timeout()
    {
        var error = ErrorFormatter.Format(new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")), Shipments, TimeSpan.FromSeconds(2.5));

        Assert.Contains("did not answer within 2.5 s", error.Summary);
        Assert.Contains("--timeout", error.Summary);
        Assert.DoesNotContain("request_id", error.Summary);
    }

    [Fact]
    public void A_lost_answer_to_a_write_says_repeating_it_is_safe()
    {
        var error = ErrorFormatter.Format(new RpcException(new Status(StatusCode.DeadlineExceeded, "")), Shipments, Timeout, writes: true);

        Assert.Contains("may have been recorded all the same; repeating the command with the same request_id is safe", error.Summary);
    }

    [Fact]
    public void Field_paths_can_be_renamed_to_csv_columns()
    {
        var error = ErrorFormatter.Format(Rpc.InvalidArgument(("shipment.quantity.value", "must be greater than zero")), Shipments, Timeout,
            Csv.CsvColumns.ForField);

        Assert.Equal("quantity: must be greater than zero.", Assert.Single(error.Details));
    }

    [Theory]
    [InlineData("shipment.quantity.value", "quantity")]
    [InlineData("shipment.quantity.unit", "unit")]
    [InlineData("shipment.quantity.barrels_per_tonne", "barrels_per_tonne")]
    [InlineData("shipment.value.nanos", "value_usd")]
    [InlineData("shipment.value", "value_usd")]
    [InlineData("shipment.exporter_country", "exporter_country")]
    [InlineData("shipment.load_date.day", "load_date")]
    [InlineData("request_id", "request_id")]
    public void Service_fields_map_to_csv_columns(string field, string column) => Assert.Equal(column, Csv.CsvColumns.ForField(field));
}
