using System.Globalization;
using EnergyTrade.Contracts;
using EnergyTrade.Contracts.Grades;

namespace EnergyTrade.UnitTests;

/// <summary>The crude-grade catalogue: what this build carries, how names find grades, and what a bad file is refused for.</summary>
[Trait("Category", "Unit")]
public sealed class GradeCatalogueTests
{
    private static readonly GradeCatalogue Catalogue = GradeCatalogue.Standard;

    private static string Entry(string name, string aliases = "", string origin = "AZ", string api = "34.8", string source = "\"an assay\"") =>
        $$"""{"name": "{{name}}", "aliases": [{{aliases}}], "typical_origin_country": "{{origin}}", "api_gravity": {{api}}, "source": {{source}}}""";

    private static string File(params string[] entries) => $$"""{"version": 1, "grades": [{{string.Join(",", entries)}}]}""";

    [Fact]
    public void The_catalogue_this_build_carries_passes_every_rule()
    {
        Assert.InRange(Catalogue.Grades.Count, 20, 40);
        Assert.True(Catalogue.Version >= 1);
        Assert.All(Catalogue.Grades, g =>
        {
            Assert.InRange(g.BarrelsPerTonne, Limits.MinBarrelsPerTonne, Limits.MaxBarrelsPerTonne);
            Assert.True(CountryCodes.IsAssigned(g.TypicalOriginCountry), g.Name);
            Assert.False(string.IsNullOrWhiteSpace(g.Source), g.Name);
        });
    }

    [Theory]
    [InlineData("Azeri Light", "34.8", "7.40")]
    [InlineData("CPC Blend", "45.3", "7.87")]
    [InlineData("Urals", "31.7", "7.26")]
    public void The_seed_grades_have_the_factors_worked_by_hand(string name, string api, string factor)
    {
        var grade = Catalogue.Find(name)!;

        Assert.Equal(api, grade.ApiGravity.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(factor, grade.BarrelsPerTonne.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("Azeri Light")]
    [InlineData("  azeri   LIGHT ")]
    [InlineData("BTC Blend")]
    [InlineData("azeri btc")]
    [InlineData("Azeri")]
    public void A_name_or_alias_finds_its_grade_whatever_its_case_and_spacing(string name)
    {
        Assert.Equal("Azeri Light", Catalogue.Find(name)?.Name);
    }

    [Fact]
    public void A_known_grade_converts_at_its_standard_factor_and_an_unknown_one_at_7_33()
    {
        Assert.Equal(7.40m, Catalogue.StandardFactor("azeri light"));
        Assert.Equal(7.87m, Catalogue.StandardFactor("CPC"));
        Assert.Equal(Limits.DefaultBarrelsPerTonne, Catalogue.StandardFactor("Unknown Blend"));
        Assert.Equal(7.33m, Catalogue.StandardFactor(""));
        Assert.Null(Catalogue.Find("Unknown Blend"));
    }

    [Fact]
    public void Grades_are_listed_in_order_of_their_name_ignoring_case()
    {
        var keys = Catalogue.Grades.Select(g => Names.Key(g.Name)).ToList();

        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public void A_good_file_is_read_with_the_factor_derived_from_the_gravity()
    {
        var catalogue = GradeCatalogue.Parse(File(Entry("Azeri Light", "\"BTC Blend\""), Entry("Urals", api: "31.7", origin: "RU")));

        Assert.Equal(["Azeri Light", "Urals"], catalogue.Grades.Select(g => g.Name));
        Assert.Equal(7.26m, catalogue.Find("URALS")!.BarrelsPerTonne);
        Assert.Equal(["BTC Blend"], catalogue.Find("btc blend")!.Aliases);
    }

    [Fact]
    public void A_bad_file_is_refused_with_every_problem_at_once()
    {
        var json = File(
            Entry("Brent Blend", "\"Brent\""),
            Entry("Forties", "\"BRENT\""),
            Entry("Azeri  Light"),
            Entry("Urals", origin: "XX"),
            Entry("Tengiz", origin: "kz"),
            Entry("Condensate", api: "95"),
            Entry("Bitumen", api: "-25"),
            Entry("Maya", source: "\" \""),
            """{"name": "Murban", "typical_origin_country": "AE", "source": "ADNOC"}""");

        var problems = Assert.Throws<InvalidDataException>(() => GradeCatalogue.Parse(json)).Message;

        Assert.Contains("'BRENT' is already a name of Brent Blend", problems);
        Assert.Contains("'Azeri  Light' must be written trimmed, with single spaces", problems);
        Assert.Contains("typical_origin_country 'XX'", problems);
        Assert.Contains("typical_origin_country 'kz'", problems);
        Assert.Contains("api_gravity 95 gives 10.08 bbl/t", problems);
        Assert.Contains("api_gravity -25 gives 4.74 bbl/t", problems);
        Assert.Contains("grades[7] (Maya): source is required", problems);
        Assert.Contains("grades[8] (Murban): api_gravity is required", problems);
        Assert.StartsWith("The grade catalogue has 8 problem(s):", problems);
    }

    [Theory]
    [InlineData("""{"version": 1, "grades": [""")]
    [InlineData("""{"version": 1, "grades": [], "graedes": []}""")]
    [InlineData("""{"version": 0, "grades": []}""")]
    [InlineData("""{"version": 1, "grades": [null]}""")]
    public void A_file_that_is_not_a_catalogue_is_refused(string json)
    {
        Assert.Throws<InvalidDataException>(() => GradeCatalogue.Parse(json));
    }

    [Fact]
    public void The_docs_cite_a_source_for_every_grade_with_the_catalogues_figures()
    {
        // docs/grades.md repeats each gravity beside its citation; the catalogue is what counts, so they must agree.
        var rows = System.IO.File.ReadLines(Path.Combine(AppContext.BaseDirectory, "docs", "grades.md"))
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => Catalogue.Find(cells[1]) is not null)
            .ToDictionary(cells => cells[1], cells => (Api: cells[4], Factor: cells[5]), StringComparer.Ordinal);

        Assert.All(Catalogue.Grades, g =>
        {
            Assert.True(rows.TryGetValue(g.Name, out var row), $"docs/grades.md has no row for {g.Name}");
            Assert.Equal((g.ApiGravity.ToString(CultureInfo.InvariantCulture), g.BarrelsPerTonne.ToString(CultureInfo.InvariantCulture)), row);
        });
        Assert.Equal(Catalogue.Grades.Count, rows.Count);
    }
}
