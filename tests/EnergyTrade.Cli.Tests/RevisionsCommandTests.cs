using System.Text.Json;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Trade.V1;
using EnergyTrade.Types.V1;
using Google.Protobuf.WellKnownTypes;

namespace EnergyTrade.Cli.Tests;

/// <summary>trade revisions: the request from the options, what is refused, and the report as tables and JSON.</summary>
[Trait("Category", "Unit")]
public sealed class RevisionsCommandTests
{
    private const string SupsaName = "shipments/9c2e7d1a-4b3f-4e8a-b6d5-1f0a2c3e4d5b";

    private static Timestamp Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        Timestamp.FromDateTimeOffset(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero));

    private static Timestamp EndOf(int year, int month, int day) =>
        Timestamp.FromDateTimeOffset(new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero).AddDays(1) - TimeSpan.FromTicks(10));

    private static RevisedFlow Revised(decimal before, decimal after, long shipments = 1) => new()
    {
        Before = Replies.Flow(before == 0 ? 0 : shipments, before, 0m),
        After = Replies.Flow(after == 0 ? 0 : shipments, after, 0m),
        Change = new FlowChange { Barrels = ProtoValues.Decimal(after - before), Tonnes = ProtoValues.Decimal(0m), Value = ProtoValues.Money(0m) },
    };

    private static ShipmentFigures Supsa(long version, decimal tonnes) => new()
    {
        Version = version, ExporterCountry = "AZ", ImporterCountry = "BY", OriginCountry = "AZ", Shipper = "SOCAR", Grade = "Azeri Light",
        Month = new Google.Type.Date { Year = 2020, Month = 3 },
        Tonnes = ProtoValues.Decimal(tonnes), Barrels = ProtoValues.Decimal(tonnes * 7.5m),
    };

    /// <summary>
    /// The late-March Supsa cargo, recorded at the buyer's 80,000 t (600,000 bbl) and corrected on
    /// 20 May to the seller's 85,000 t (637,500 bbl): AZ → BY at Supsa, January to April 2020.
    /// </summary>
    private static RevisionReport SupsaReport(GetRevisionReportRequest request)
    {
        var report = new RevisionReport
        {
            Country = request.Country, Partner = request.Partner, FirstMonth = request.FirstMonth, LastMonth = request.LastMonth,
            Basis = Basis.Commercial, PeriodBasis = PeriodBasis.Loading,
            Since = request.Since, Until = request.Until ?? Utc(2020, 6, 1, 8, 0, 0),
            Exports = Revised(1_975_000m, 2_012_500m, 3),
            Imports = Revised(0m, 0m),
            TotalChangeCount = 1,
        };
        foreach (var (month, before, after) in new[] { (1, 700_000m, 700_000m), (2, 0m, 0m), (3, 600_000m, 637_500m), (4, 675_000m, 675_000m) })
        {
            report.Months.Add(new MonthRevision { Month = new Google.Type.Date { Year = 2020, Month = month }, Exports = Revised(before, after), Imports = Revised(0m, 0m) });
        }
        report.Changes.Add(new RevisedShipment
        {
            Shipment = SupsaName, Version = 2, UpdateTime = Utc(2020, 5, 20, 9, 30), Kind = RevisedShipment.Types.Kind.Amended,
            Before = Supsa(1, 80_000m), After = Supsa(2, 85_000m),
            Exports = new FlowChange { Barrels = ProtoValues.Decimal(37_500m), Tonnes = ProtoValues.Decimal(5_000m), Value = ProtoValues.Money(0m) },
            Imports = new FlowChange { Barrels = ProtoValues.Decimal(0m), Tonnes = ProtoValues.Decimal(0m), Value = ProtoValues.Money(0m) },
        });
        return report;
    }

    private static CliRun Trade(Func<GetRevisionReportRequest, RevisionReport>? answer = null)
    {
        var run = new CliRun();
        run.Server.On(Replies.Revisions, answer ?? SupsaReport);
        return run;
    }

    [Fact]
    public async Task Since_a_date_asks_from_the_end_of_the_day_before_and_until_a_date_to_the_end_of_that_day()
    {
        var run = Trade();

        Assert.Equal(0, await run.RunAsync("trade", "revisions", "az", "by", "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01", "--until", "2020-05-31"));

        var request = (GetRevisionReportRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(("AZ", "BY", Basis.Commercial), (request.Country, request.Partner, request.Basis));
        Assert.Equal(((2020, 1, 0), (2020, 4, 0)),
            ((request.FirstMonth.Year, request.FirstMonth.Month, request.FirstMonth.Day), (request.LastMonth.Year, request.LastMonth.Month, request.LastMonth.Day)));
        // 2020-04-30T23:59:59.999999Z: changes recorded on 1 May come after it, and "before" is the figures at the end of 30 April.
        Assert.Equal(EndOf(2020, 4, 30), request.Since);
        Assert.Equal((1588291199L, 999_999_000), (request.Since.Seconds, request.Since.Nanos));
        Assert.Equal(EndOf(2020, 5, 31), request.Until);
        Assert.Equal(0, request.MaxChanges);
    }

    [Fact]
    public async Task Timestamps_are_sent_as_given_and_until_is_left_to_the_service_when_not_given()
    {
        var run = Trade();

        Assert.Equal(0, await run.RunAsync("trade", "revisions", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-20T11:00+02:00"));
        var request = (GetRevisionReportRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(Utc(2020, 5, 20, 9, 0), request.Since);
        Assert.Null(request.Until);

        Assert.Equal(0, await run.RunAsync("trade", "revisions", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-20T09:00:00Z",
            "--until", "2020-05-20T09:30:00.000001Z"));
        var bounded = (GetRevisionReportRequest)run.Server.Calls.Last().Request;
        Assert.Equal((Utc(2020, 5, 20, 9, 30).Seconds, 1_000), (bounded.Until.Seconds, bounded.Until.Nanos));
    }

    [Fact]
    public async Task Filters_the_month_basis_and_the_limit_reach_the_request()
    {
        var run = Trade();

        Assert.Equal(0, await run.RunAsync("trade", "revisions", "AZ", "WORLD", "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01",
            "--basis", "origin", "--period", "delivery", "--shipper", "socar", "--buyer", "Naftan", "--grade", "Azeri Light", "--load-port", "Supsa",
            "--discharge-port", "Odesa", "--max-changes", "1000"));

        var request = (GetRevisionReportRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(("WORLD", Basis.Origin, PeriodBasis.Delivery, 1000), (request.Partner, request.Basis, request.PeriodBasis, request.MaxChanges));
        Assert.Equal(("socar", "Naftan", "Azeri Light", "Supsa", "Odesa"), (request.Shipper, request.Buyer, request.Grade, request.LoadPort, request.DischargePort));
    }

    [Theory]
    [InlineData(new[] { "--from", "2020-01", "--to", "2020-04" },
        "--since is required: the instant to compare with, e.g. --since 2020-05-01 for the changes recorded from 1 May on.")]
    [InlineData(new[] { "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01", "--until", "2020-04-29" },
        "--until 2020-04-29 (2020-04-29 23:59:59.999999 UTC) is before --since 2020-05-01 (2020-04-30 23:59:59.999999 UTC); give a later --until, or leave it out for now.")]
    [InlineData(new[] { "--from", "2020-01", "--to", "2020-04", "--since", "May" },
        "--since 'May' is not an instant; give a date YYYY-MM-DD (from the start of that day, UTC) or a timestamp with Z or an offset")]
    [InlineData(new[] { "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01", "--until", "2020-05-20T09:30" },
        "--until '2020-05-20T09:30' has no time zone; add Z for UTC or an offset")]
    [InlineData(new[] { "--to", "2020-04", "--since", "2020-05-01" }, "--from is required for a revision report.")]
    [InlineData(new[] { "--from", "1970-01", "--to", "2020-12", "--since", "2020-05-01" }, "spans 612 months; a revision report holds at most 600.")]
    [InlineData(new[] { "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01", "--max-changes", "1001" }, "--max-changes 1001 is out of range; use 1 to 1000.")]
    [InlineData(new[] { "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01", "--period", "arrival" }, "--period 'arrival' is not loading or delivery.")]
    public async Task Options_are_checked_before_anything_is_sent(string[] options, string message)
    {
        var run = Trade();

        Assert.Equal(2, await run.RunAsync(["trade", "revisions", "AZ", "BY", .. options]));

        Assert.Contains(message, run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task Since_a_day_until_the_day_before_is_the_same_instant_and_asks_for_no_change()
    {
        var run = Trade();

        Assert.Equal(0, await run.RunAsync("trade", "revisions", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01", "--until", "2020-04-30"));

        var request = (GetRevisionReportRequest)Assert.Single(run.Server.Calls).Request;
        Assert.Equal(request.Since, request.Until);
    }

    [Fact]
    public async Task The_supsa_correction_shows_march_before_and_after_and_the_version_that_changed_it()
    {
        var run = Trade();

        Assert.Equal(0, await run.RunAsync("trade", "revisions", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01", "--load-port", "Supsa"));

        var text = run.Out.ToString();
        Assert.Contains("AZ–BY revisions, 2020-01 to 2020-04, commercial basis (exporter = the seller's country): " +
            "since 2020-04-30 23:59:59.999999 UTC until 2020-06-01 08:00:00 UTC; exports AZ → BY, imports BY → AZ", text);
        Assert.Matches(@"Month\s+│\s+Exports before │\s+Exports after │\s+Change │\s+Imports before │\s+Imports after │\s+Change │", text);
        Assert.Matches(@"2020-03\s+│\s+600,000 bbl │\s+637,500 bbl │\s+\+37,500 bbl │\s+0 bbl │\s+0 bbl │\s+0 bbl │", text);
        Assert.Matches(@"2020-01\s+│\s+700,000 bbl │\s+700,000 bbl │\s+0 bbl │", text);
        Assert.Matches(@"Total\s+│\s+1,975,000 bbl │\s+2,012,500 bbl │\s+\+37,500 bbl │\s+0 bbl │\s+0 bbl │\s+0 bbl │", text);
        Assert.Contains("Shipment versions recorded since 2020-04-30 23:59:59.999999 UTC (1 of 1)", text);
        Assert.Matches(@"Recorded\s+│ Shipment\s+│ Version │ Kind\s+│\s+Before │\s+After │\s+Exports change │\s+Imports change │", text);
        Assert.Matches(@"2020-05-20 09:30:00 UTC │ shipments/9c2e7d1a-4b3f-4e8a-b6d5-1f0a2c3e4d5b │\s+2 │ amended │ 2020-03, 600,000 bbl │ 2020-03, 637,500 bbl │\s+\+37,500 bbl │\s+0 bbl │", text);
        Assert.DoesNotContain("more not listed", text);
    }

    [Fact]
    public void A_created_and_a_cancelled_version_show_a_dash_where_they_did_not_count()
    {
        var report = SupsaReport(new GetRevisionReportRequest { Country = "AZ", Partner = "BY", Since = Utc(2020, 5, 1) });
        report.Changes[0].Kind = RevisedShipment.Types.Kind.Created;
        report.Changes[0].Version = 1;
        report.Changes[0].Before = null;
        report.Changes.Add(new RevisedShipment
        {
            Shipment = SupsaName, Version = 3, UpdateTime = Utc(2020, 5, 21), Kind = RevisedShipment.Types.Kind.Cancelled,
            Before = Supsa(2, 85_000m), Exports = new FlowChange { Barrels = ProtoValues.Decimal(-637_500m) },
        });
        report.TotalChangeCount = 2;

        var text = CliRun.Render(RevisionReportView.Render(report));

        Assert.Matches(@"│\s+1 │ created\s+│\s+— │ 2020-03, 637,500 bbl │\s+\+37,500 bbl │\s+0 bbl │", text);
        Assert.Matches(@"│\s+3 │ cancelled │ 2020-03, 637,500 bbl │\s+— │\s+-637,500 bbl │\s+0 bbl │", text);
    }

    [Fact]
    public void On_the_delivery_basis_a_version_counts_in_its_delivery_month()
    {
        var report = SupsaReport(new GetRevisionReportRequest { Country = "AZ", Partner = "BY", Since = Utc(2020, 5, 1) });
        report.PeriodBasis = PeriodBasis.Delivery;
        report.Changes[0].Before.DeliveryMonth = new Google.Type.Date { Year = 2020, Month = 4 };

        var text = CliRun.Render(RevisionReportView.Render(report));

        Assert.Contains("by month of delivery", text);
        Assert.Matches(@"amended │ 2020-04, 600,000 bbl │ no delivery date, 637,500 bbl │", text);
    }

    [Theory]
    [InlineData(250, "(1 of 250)", "249 more not listed: add --max-changes 250 to list them all (it goes up to 1,000), or narrow --from/--to.")]
    [InlineData(4_321, "(1 of 4,321)", "4,320 more not listed: --max-changes goes up to 1,000; narrow --from/--to (or --since/--until) to see the rest.")]
    public async Task A_cut_list_says_how_to_see_the_rest(long total, string count, string hint)
    {
        var run = Trade(request =>
        {
            var report = SupsaReport(request);
            report.TotalChangeCount = total;
            return report;
        });

        Assert.Equal(0, await run.RunAsync("trade", "revisions", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01", "--max-changes", "1"));

        var text = run.Out.ToString();
        Assert.Contains(count, text);
        Assert.Contains(hint, text);
    }

    [Fact]
    public async Task Without_changes_it_says_nothing_was_recorded()
    {
        var run = Trade(request =>
        {
            var report = SupsaReport(request);
            report.Changes.Clear();
            report.TotalChangeCount = 0;
            return report;
        });

        await run.RunAsync("trade", "revisions", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01", "--until", "2020-05-10");

        Assert.Contains("No shipment version that counts here was recorded since 2020-04-30 23:59:59.999999 UTC until 2020-05-10 23:59:59.999999 UTC.",
            run.Out.ToString());
    }

    [Fact]
    public async Task Json_is_the_report_message()
    {
        var run = Trade();

        Assert.Equal(0, await run.RunAsync("trade", "revisions", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--since", "2020-05-01", "-o", "json"));

        Assert.Equal("", run.Out.ToString());
        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        Assert.Equal("2020-04-30T23:59:59.999999Z", json.GetProperty("since").GetString());
        Assert.Equal("37500", json.GetProperty("months")[2].GetProperty("exports").GetProperty("change").GetProperty("barrels").GetProperty("value").GetString());
        var change = Assert.Single(json.GetProperty("changes").EnumerateArray());
        Assert.Equal(("KIND_AMENDED", "2", "2020-05-20T09:30:00Z"),
            (change.GetProperty("kind").GetString(), change.GetProperty("version").GetString(), change.GetProperty("updateTime").GetString()));
        Assert.Equal("1", json.GetProperty("totalChangeCount").GetString());
    }
}
