using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class TotalsSliceTests
{
    [Fact]
    public async Task Filters_groupings_and_the_delivery_basis_reach_the_request()
    {
        var run = new CliRun();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ => Replies.SeedTotals());

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "world", "--from", "2020-01", "--to", "2020-04",
            "--shipper", "socar", "--grade", "Azeri Light", "--group-by", "grade, load-port", "--period", "delivery"));

        var request = (GetBilateralTotalsRequest)run.Server.CallsTo(Replies.Totals).Single().Request;
        Assert.Equal("WORLD", request.Partner);
        Assert.Equal("socar", request.Shipper);
        Assert.Equal("Azeri Light", request.Grade);
        Assert.Equal([Dimension.Grade, Dimension.LoadPort], request.GroupBy);
        Assert.Equal(PeriodBasis.Delivery, request.PeriodBasis);
    }

    [Fact]
    public async Task A_series_and_a_comparison_take_the_same_options()
    {
        var run = new CliRun();
        run.Server.On<GetTradeSeriesRequest, TradeSeries>(Replies.Series, _ => new TradeSeries { Country = "AZ", Partner = "BY" });

        Assert.Equal(0, await run.RunAsync("trade", "series", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--buyer", "Naftan", "--group-by", "shipper"));

        var request = (GetTradeSeriesRequest)run.Server.CallsTo(Replies.Series).Single().Request;
        Assert.Equal("Naftan", request.Buyer);
        Assert.Equal([Dimension.Shipper], request.GroupBy);
    }

    [Theory]
    [InlineData("--group-by", "colour", "--group-by 'colour' is not one of")]
    [InlineData("--group-by", "grade,grade", "names grade twice")]
    [InlineData("--period", "arrival", "--period 'arrival' is not loading or delivery")]
    public async Task A_wrong_option_is_refused_before_any_call(string option, string value, string message)
    {
        var run = new CliRun();

        Assert.NotEqual(0, await run.RunAsync("trade", "totals", "AZ", "BY", option, value));

        Assert.Contains(message, run.Error.ToString());
        Assert.Empty(run.Server.CallsTo(Replies.Totals));
    }

    [Fact]
    public void Groups_prices_and_cargo_in_transit_are_shown()
    {
        var totals = Replies.SeedTotals();
        totals.PeriodBasis = PeriodBasis.Delivery;
        totals.Exports.AveragePricePerBarrel = ProtoValues.Money(47.54m);
        totals.Exports.Groups.Add(new FlowGroup { Keys = { "Azeri Light" }, Totals = new FlowTotals { ShipmentCount = 3, Barrels = ProtoValues.Decimal(2_050_000m) } });
        totals.Exports.Groups.Add(new FlowGroup { Keys = { "" }, Totals = new FlowTotals { ShipmentCount = 1, Barrels = ProtoValues.Decimal(580_000m) } });
        totals.InTransit = new InTransit { Exports = new FlowTotals { ShipmentCount = 1, Barrels = ProtoValues.Decimal(675_000m) }, Imports = new FlowTotals() };

        var text = CliRun.Render(TotalsView.Render(totals));

        Assert.Contains("by month of delivery", text);
        Assert.Contains("47.54 USD/bbl", text);
        Assert.Matches(@"Azeri Light\s+│\s+3 │ 2,050,000 bbl", text);
        Assert.Matches(@"\(not recorded\)\s+│\s+1 │\s+580,000 bbl", text);
        Assert.Matches(@"In transit AZ → BY at the end\s+│\s+1 │\s+675,000 bbl", text);
    }
}
