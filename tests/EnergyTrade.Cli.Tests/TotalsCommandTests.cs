using System.Text.Json;
using EnergyTrade.Cli.Commands.Trade;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class TotalsCommandTests
{
    [Fact]
    public void The_table_shows_the_articles_figures_with_units()
    {
        var text = CliRun.Render(TotalsView.Render(Replies.SeedTotals()));

        Assert.Contains("AZ–BY trade, 2020-01 to 2020-04, commercial basis", text);
        Assert.Matches(@"Exports AZ → BY\s+│\s+5 │ 3,830,000 bbl │ 519,208.732 t │ 0.00 USD │\s+0 │ 31.7 kb/d │", text);
        Assert.Matches(@"Imports BY → AZ\s+│\s+0 │\s+0 bbl │\s+0 t │ 0.00 USD │\s+0 │", text);
        Assert.Matches(@"AZ\s+│\s+3 │ 2,050,000 bbl │ 275,497.954 t │", text);
        Assert.Matches(@"KZ\s+│\s+1 │ 1,200,000 bbl │ 163,710.778 t │", text);
        Assert.Matches(@"RU\s+│\s+1 │\s+580,000 bbl │\s+80,000 t │", text);
        Assert.Contains("Exports AZ → BY: 2,050,000 bbl produced in AZ, 1,780,000 bbl produced elsewhere.", text);
        Assert.Matches(@"Turnover \(exports \+ imports\)\s+0.00 USD", text);
        Assert.Matches(@"Balance \(exports − imports\)\s+0.00 USD", text);
        Assert.Contains("5 of 5 have none", text);
    }

    [Fact]
    public void A_negative_balance_is_shown_with_its_sign()
    {
        var totals = Replies.SeedTotals();
        totals.Balance = ProtoValues.Money(-52_600_000m);
        totals.Turnover = ProtoValues.Money(59_200_000m);

        var text = CliRun.Render(TotalsView.Render(totals));

        Assert.Contains("-52,600,000.00 USD", text);
        Assert.Contains("59,200,000.00 USD", text);
    }

    [Fact]
    public async Task Json_output_is_the_proto_json_mapping_with_every_field()
    {
        var run = new CliRun();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ => Replies.SeedTotals());

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--output", "json"));

        Assert.Equal("", run.Out.ToString());
        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.Equal("AZ", json.GetProperty("country").GetString());
        Assert.Equal("BASIS_COMMERCIAL", json.GetProperty("basis").GetString());
        Assert.Equal(2020, json.GetProperty("firstMonth").GetProperty("year").GetInt32());
        var exports = json.GetProperty("exports");
        // int64 travels as a string and decimals as google.type.Decimal strings, exactly as sent.
        Assert.Equal("5", exports.GetProperty("shipmentCount").GetString());
        Assert.Equal("3830000.000", exports.GetProperty("barrels").GetProperty("value").GetString());
        Assert.Equal(["AZ", "KZ", "RU"], exports.GetProperty("byOrigin").EnumerateArray().Select(o => o.GetProperty("originCountry").GetString()));
        // Defaults are printed too, so scripts find every field.
        Assert.Equal("0", json.GetProperty("imports").GetProperty("shipmentCount").GetString());
        Assert.Equal("USD", json.GetProperty("turnover").GetProperty("currencyCode").GetString());
    }

    [Fact]
    public async Task Wait_polls_until_trade_agrees_with_the_shipments_own_sums()
    {
        var run = new CliRun();
        var polls = 0;
        run.Server.On<SummarizeShipmentsRequest, ShipmentSummary>(Replies.Summarize, _ => Summary(Replies.SeedTotals()));
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ =>
        {
            var totals = Replies.SeedTotals();
            // The last cargo's event arrives on the third poll.
            if (++polls < 3) totals.Exports.ShipmentCount = 4;
            return totals;
        });

        var exit = await run.RunAsync("trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--wait", "30");

        Assert.Equal(0, exit);
        Assert.Equal(3, polls);
        Assert.Equal(2, run.Delays.Count);
        Assert.Contains("3,830,000 bbl", run.Out.ToString());
        var summary = (SummarizeShipmentsRequest)run.Server.CallsTo(Replies.Summarize).First().Request;
        Assert.Equal((2020, 1, 0), (summary.FirstMonth.Year, summary.FirstMonth.Month, summary.FirstMonth.Day));
    }

    [Fact]
    public void Differences_name_the_flow_and_the_figure()
    {
        var expected = Summary(Replies.SeedTotals());
        var behind = Replies.SeedTotals();
        behind.Exports.Barrels = ProtoValues.Decimal(3_250_000m);

        Assert.Empty(CatchUpCheck.Differences(expected, Replies.SeedTotals()));
        Assert.Equal("exports AZ → BY barrels: Shipments has 3,830,000 bbl, Trade 3,250,000 bbl", Assert.Single(CatchUpCheck.Differences(expected, behind)));
    }

    private static ShipmentSummary Summary(BilateralTotals totals) => new()
    {
        Country = totals.Country,
        Partner = totals.Partner,
        Exports = Flow(totals.Exports),
        Imports = Flow(totals.Imports),
    };

    private static FlowSummary Flow(FlowTotals flow) => new()
    {
        ShipmentCount = flow.ShipmentCount, Barrels = flow.Barrels, Tonnes = flow.Tonnes, Value = flow.Value, ValuedShipmentCount = flow.ValuedShipmentCount,
    };
}
