using System.Text.Json;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.Cli.Tests;

/// <summary>grades list: the whole catalogue as a table or as one ListGradesResponse, read with shipments:read.</summary>
[Trait("Category", "Unit")]
public sealed class GradesCommandTests
{
    private const string ListGrades = "ListGrades";

    private static Grade Grade(string name, string origin, decimal api, decimal factor, params string[] aliases) => new()
    {
        Name = name,
        Aliases = { aliases },
        TypicalOriginCountry = origin,
        ApiGravity = ProtoValues.Decimal(api),
        BarrelsPerTonne = ProtoValues.Decimal(factor),
        Source = $"{name} assay",
    };

    /// <summary>The catalogue in two pages, as a service with a small page size would send it.</summary>
    private static CliRun WithTwoPages()
    {
        var run = new CliRun();
        run.Server.On<ListGradesRequest, ListGradesResponse>(ListGrades, r => r.PageToken switch
        {
            "" => new ListGradesResponse { Grades = { Grade("Azeri Light", "AZ", 34.8m, 7.40m, "Azeri BTC", "BTC Blend") }, NextPageToken = "p2" },
            "p2" => new ListGradesResponse { Grades = { Grade("Johan Sverdrup", "NO", 28.0m, 7.10m), Grade("Urals", "RU", 31.7m, 7.26m, "REBCO") } },
            _ => throw new InvalidOperationException(),
        });
        return run;
    }

    [Fact]
    public async Task The_table_shows_every_page_with_aliases_origin_gravity_and_factor()
    {
        var run = WithTwoPages();

        Assert.Equal(0, await run.RunAsync("grades", "list"));

        Assert.Equal(["", "p2"], run.Server.CallsTo(ListGrades).Select(c => ((ListGradesRequest)c.Request).PageToken));
        var text = run.Out.ToString();
        Assert.Matches(@"Azeri Light\s+│ Azeri BTC, BTC Blend\s+│ AZ\s+│\s+34.8 │\s+7.40 │", text);
        Assert.Matches(@"Johan Sverdrup\s+│\s+│ NO\s+│\s+28.0 │\s+7.10 │", text);
        Assert.Matches(@"Urals\s+│ REBCO\s+│ RU\s+│\s+31.7 │\s+7.26 │", text);
        Assert.Contains("3 grades.", text);
    }

    [Fact]
    public async Task Json_is_one_response_with_every_grade_and_its_source()
    {
        var run = WithTwoPages();

        await run.RunAsync("grades", "list", "--output", "json");

        var json = JsonDocument.Parse(run.Json.ToString()).RootElement;
        var grades = json.GetProperty("grades").EnumerateArray().ToList();
        Assert.Equal(["Azeri Light", "Johan Sverdrup", "Urals"], grades.Select(g => g.GetProperty("name").GetString()));
        Assert.Equal("7.40", grades[0].GetProperty("barrelsPerTonne").GetProperty("value").GetString());
        Assert.Equal("Azeri Light assay", grades[0].GetProperty("source").GetString());
        Assert.Equal("", json.GetProperty("nextPageToken").GetString());
    }

    [Fact]
    public async Task It_reads_with_only_the_shipments_read_scope()
    {
        var run = WithTwoPages();
        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "local-development-signing-key-0123456789";

        await run.RunAsync("grades", "list");

        Assert.All(run.Server.CallsTo(ListGrades), call =>
            Assert.Equal("shipments:read", TokenTests.Claims(call.Authorization!["Bearer ".Length..]).GetProperty("scope").GetString()));
    }

    [Fact]
    public async Task The_grades_branch_is_in_the_help()
    {
        var run = new CliRun();
        Assert.Equal(0, await run.RunAsync("grades", "list", "--help"));
        Assert.Contains("USAGE:", run.Out.ToString());
        Assert.Contains("--output", run.Out.ToString());

        await run.RunAsync("--help");
        Assert.Contains("grades", run.Out.ToString());
        Assert.Empty(run.Server.Calls);
    }
}
