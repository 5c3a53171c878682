using EnergyTrade.Cli.Csv;
using EnergyTrade.Cli.Input;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class CsvShipmentReaderTests
{
    private const string Header = "request_id,shipper,exporter_country,importer_country,origin_country,grade,quantity,unit,barrels_per_tonne,value_usd,load_date,delivery_date,load_port,discharge_port";

    private static CsvReadResult Read(params string[] lines) => CsvShipmentReader.Read(new StringReader(string.Join("\n", lines) + "\n"));

    private static string Row(string requestId = "r1", string quantity = "90000", string unit = "t", string factor = "7.5", string value = "",
        string loadDate = "2020-03-04", string deliveryDate = "", string grade = "Azeri Light") =>
        $"{requestId},SOCAR,AZ,BY,AZ,{grade},{quantity},{unit},{factor},{value},{loadDate},{deliveryDate},Ceyhan,Odesa";

    [Fact]
    public void A_valid_row_becomes_a_draft_with_exact_values()
    {
        var result = Read(Header, Row(value: "25000000.00", deliveryDate: "2020-03-20"));

        Assert.Empty(result.Errors);
        var row = Assert.Single(result.Rows);
        Assert.Equal(2, row.Line);
        Assert.Equal("r1", row.Draft.RequestId);
        Assert.Equal(90_000m, row.Draft.Quantity);
        Assert.Equal(QuantityUnit.MetricTonnes, row.Draft.Unit);
        Assert.Equal(7.5m, row.Draft.BarrelsPerTonne);
        Assert.Equal(25_000_000.00m, row.Draft.ValueUsd);
        Assert.Equal(new DateOnly(2020, 3, 4), row.Draft.LoadDate);
        Assert.Equal(new DateOnly(2020, 3, 20), row.Draft.DeliveryDate);
        var request = row.Draft.ToRequest();
        Assert.Equal("90000", request.Shipment.Quantity.Value.Value);
        Assert.Equal("7.5", request.Shipment.Quantity.BarrelsPerTonne.Value);
        Assert.Equal(25_000_000, request.Shipment.Value.Units);
        Assert.Equal(0, request.Shipment.Value.Nanos);
        Assert.Equal("USD", request.Shipment.Value.CurrencyCode);
        Assert.Equal("r1", request.RequestId);
    }

    [Fact]
    public void Comments_and_blank_lines_are_skipped_but_still_counted_in_line_numbers()
    {
        var result = Read("# a comment", "", Header, "# another", Row("a"), "", Row("b", unit: "kg"));

        Assert.Equal(5, Assert.Single(result.Rows).Line);
        var error = Assert.Single(result.Errors);
        Assert.Equal(7, error.Line);
    }

    [Fact]
    public void A_bad_unit_is_reported_with_its_line_and_column()
    {
        var result = Read(Header, Row("a"), Row("b", unit: "kg"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal("b", error.RequestId);
        var problem = Assert.Single(error.Problems);
        Assert.Equal("unit", problem.Field);
        Assert.Contains("'kg'", problem.Description);
        Assert.Contains("bbl or t", problem.Description);
    }

    [Theory]
    [InlineData("2020-13-04")]
    [InlineData("04/03/2020")]
    [InlineData("2020-02-30")]
    [InlineData("2020-3-4")]
    public void A_bad_date_is_reported_with_its_line(string date)
    {
        var result = Read(Header, Row(loadDate: date));

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        var problem = Assert.Single(error.Problems);
        Assert.Equal("load_date", problem.Field);
        Assert.Contains($"'{date}'", problem.Description);
        Assert.Contains("YYYY-MM-DD", problem.Description);
    }

    [Fact]
    public void Every_problem_of_a_row_is_reported_at_once()
    {
        var result = Read(Header, Row(requestId: "", quantity: "eighty", unit: "", factor: "x", loadDate: "", deliveryDate: "soon"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(["request_id", "quantity", "unit", "barrels_per_tonne", "load_date", "delivery_date"], error.Problems.Select(p => p.Field));
    }

    [Fact]
    public void A_missing_column_rejects_the_file_at_the_header_line()
    {
        var header = Header.Replace("unit,", "");
        var result = Read("# comment", header, "r1,SOCAR,AZ,BY,AZ,Azeri Light,90000,7.5,,2020-03-04,,Ceyhan,Odesa");

        Assert.NotNull(result.FileError);
        Assert.Equal(2, result.FileError.Line);
        var problem = Assert.Single(result.FileError.Problems);
        Assert.Equal("unit", problem.Field);
        Assert.Contains("missing", problem.Description);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Optional_columns_may_be_left_out_of_the_header()
    {
        var result = Read("request_id,shipper,exporter_country,importer_country,origin_country,grade,quantity,unit,load_date",
            "r1,SOCAR,AZ,BY,KZ,CPC Blend,1200000,bbl,2020-02-14");

        Assert.Null(result.FileError);
        var draft = Assert.Single(result.Rows).Draft;
        Assert.Null(draft.BarrelsPerTonne);
        Assert.Null(draft.ValueUsd);
        Assert.Equal("", draft.LoadPort);
    }

    [Fact]
    public void An_unknown_column_is_reported_rather_than_silently_dropped()
    {
        var result = Read(Header.Replace("value_usd", "value_usd_typo"), Row());

        Assert.NotNull(result.FileError);
        Assert.Contains(result.FileError.Problems, p => p.Field == "value_usd_typo" && p.Description.Contains("unknown column"));
    }

    [Fact]
    public void The_output_only_columns_of_an_export_are_read_past_and_any_other_unknown_column_is_still_refused()
    {
        var result = Read(Header + ",name,version,state,barrels,tonnes,create_time,update_time",
            Row() + ",shipments/1,3,active,675000.000,90000.000,2026-05-16T09:00:00Z,2026-05-17T09:00:00.5Z");

        Assert.Null(result.FileError);
        Assert.Empty(result.Errors);
        Assert.Equal(90_000m, Assert.Single(result.Rows).Draft.Quantity);
        var typo = Read(Header + ",notes", Row() + ",x");
        Assert.Contains(typo.FileError!.Problems, p => p.Field == "notes" && p.Description.Contains("unknown column"));
    }

    [Theory]
    [InlineData("r1,SOCAR,AZ,BY,AZ,Azeri Light,90000,t,7.5,,2020-03-04,,Ceyhan", 13)]
    [InlineData("r1,SOCAR,AZ,BY,AZ,Azeri Light,90000,t,7.5,,2020-03-04,,Ceyhan,Odesa,extra", 15)]
    [InlineData("r1,SOCAR,AZ,BY,AZ,Azeri Light,90,000,t,7.5,,2020-03-04,,Ceyhan,Odesa", 15)]
    public void A_wrong_number_of_fields_is_reported_with_its_line(string line, int fields)
    {
        var result = Read(Header, Row("a"), line, Row("b"));

        Assert.Equal(["a", "b"], result.Rows.Select(r => r.Draft.RequestId));
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains($"has {fields} fields but the header has 14", Assert.Single(error.Problems).Description);
    }

    [Fact]
    public void A_quoted_value_may_contain_a_comma()
    {
        var result = Read(Header, Row(grade: "\"Light, sweet\""));

        Assert.Equal("Light, sweet", Assert.Single(result.Rows).Draft.Grade);
    }

    [Fact]
    public void An_unclosed_quote_spoils_only_its_own_line()
    {
        var result = Read(Header, Row(grade: "\"Azeri Light"), Row("b"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("quote", Assert.Single(error.Problems).Description);
        Assert.Equal(3, Assert.Single(result.Rows).Line);
    }

    [Fact]
    public void A_request_id_used_twice_is_reported_on_the_second_line()
    {
        var result = Read(Header, Row("same"), Row("other"), Row("same"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.Contains("already used on line 2", Assert.Single(error.Problems).Description);
    }

    [Fact]
    public void An_empty_file_has_no_header()
    {
        var result = Read("# nothing but a comment");

        Assert.NotNull(result.FileError);
        Assert.Contains("no header row", Assert.Single(result.FileError.Problems).Description);
    }

    [Fact]
    public void Country_codes_are_upper_cased()
    {
        var result = Read(Header, "r1,SOCAR,az,by,kz,CPC Blend,1200000,bbl,,,2020-02-14,,,");

        var draft = Assert.Single(result.Rows).Draft;
        Assert.Equal(("AZ", "BY", "KZ"), (draft.ExporterCountry, draft.ImporterCountry, draft.OriginCountry));
    }

    [Fact]
    public void An_optional_buyer_column_is_read_and_sent_with_the_shipment()
    {
        var result = Read(Header + ",buyer", Row() + ",Mozyr Refinery", Row("r2") + ",");

        Assert.Empty(result.Errors);
        Assert.Equal(["Mozyr Refinery", ""], result.Rows.Select(r => r.Draft.Buyer));
        Assert.Equal("Mozyr Refinery", result.Rows[0].Draft.ToRequest().Shipment.Buyer);
    }
}
