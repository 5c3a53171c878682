using EnergyTrade.Trade.Partners;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyTrade.UnitTests.Trade;

[Trait("Category", "Unit")]
public sealed class PartnerGroupsTests
{
    private static readonly DateOnly FirstChecked = new(1958, 1, 1), LastChecked = new(2030, 12, 1);

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) => new ConfigurationBuilder()
        .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
        .Build();

    private static PartnerGroups Load(params (string Key, string Value)[] settings) => PartnerGroups.Load(Configuration(settings));

    private static PartnerSet Set(string code, PartnerGroups? groups = null) =>
        (groups ?? Load()).TryGet(code, out var set) ? set : throw new KeyNotFoundException(code);

    private static DateOnly Month(int year, int month) => new(year, month, 1);

    private static IEnumerable<DateOnly> Months()
    {
        for (var month = FirstChecked; month <= LastChecked; month = month.AddMonths(1)) yield return month;
    }

    private static IEnumerable<string> Members(PartnerSet set, DateOnly month) =>
        set.Group!.Countries.Where(c => set.Contains(c, month)).Order(StringComparer.Ordinal);

    [Fact]
    public void The_shipped_file_loads_and_passes_every_check()
    {
        var groups = Load();

        Assert.Equal("2026-12-01", groups.Version);
        Assert.Equal(["EU", "EU27", "OPEC", "OPEC_PLUS"], groups.All.Select(g => g.Code));
        Assert.All(groups.All, g => Assert.NotEmpty(g.Sources));
        Assert.All(groups.All, g => Assert.False(string.IsNullOrWhiteSpace(g.Comment)));
    }

    [Fact]
    public void Qatar_is_in_OPEC_for_December_2018_and_not_for_January_2019()
    {
        var opec = Set("OPEC");

        Assert.True(opec.Contains("QA", Month(2018, 12)));
        Assert.False(opec.Contains("QA", Month(2019, 1)));
    }

    [Fact]
    public void The_United_Kingdom_is_in_the_EU_for_January_2020_but_not_February_and_never_in_EU27()
    {
        var eu = Set("EU");
        var eu27 = Set("EU27");

        Assert.False(eu.Contains("GB", Month(1972, 12)));
        Assert.True(eu.Contains("GB", Month(1973, 1)));
        Assert.True(eu.Contains("GB", Month(2020, 1)));
        Assert.False(eu.Contains("GB", Month(2020, 2)));
        Assert.DoesNotContain(Months(), m => eu27.Contains("GB", m));
    }

    [Fact]
    public void Croatia_joins_EU27_in_July_2013()
    {
        var eu27 = Set("EU27");

        Assert.False(eu27.Contains("HR", Month(2013, 6)));
        Assert.True(eu27.Contains("HR", Month(2013, 7)));
        Assert.Equal(27, Members(eu27, Month(2013, 7)).Count());
    }

    [Fact]
    public void Angola_counts_for_OPEC_and_OPEC_PLUS_from_January_2007_to_December_2023()
    {
        foreach (var set in new[] { Set("OPEC"), Set("OPEC_PLUS") })
        {
            Assert.False(set.Contains("AO", Month(2006, 12)));
            Assert.True(set.Contains("AO", Month(2007, 1)));
            Assert.True(set.Contains("AO", Month(2023, 12)));
            Assert.False(set.Contains("AO", Month(2024, 1)));
        }
        Assert.Equal(12, Members(Set("OPEC"), Month(2024, 1)).Count());
    }

    [Fact]
    public void A_country_that_joins_mid_month_counts_from_the_next_month_and_one_that_leaves_mid_month_counts_for_that_month()
    {
        var opec = Set("OPEC");
        var groups = Load(("Trade:PartnerGroups:TEST:Members:NO", "2020-03-15..2020-05-10"));

        Assert.False(opec.Contains("CG", Month(2018, 6)));
        Assert.True(opec.Contains("CG", Month(2018, 7)));
        Assert.False(opec.Contains("GQ", Month(2017, 5)));
        Assert.True(opec.Contains("GQ", Month(2017, 6)));
        Assert.Equal([Month(2020, 4), Month(2020, 5)], Months().Where(m => Set("TEST", groups).Contains("NO", m)));
    }

    [Fact]
    public void Any_day_stands_for_its_month()
    {
        var opec = Set("OPEC");

        Assert.True(opec.Contains("CG", new DateOnly(2018, 7, 31)));
        Assert.False(opec.Contains("CG", new DateOnly(2018, 6, 30)));
    }

    [Theory]
    [InlineData(1958, 1, 6)]
    [InlineData(1973, 1, 9)]
    [InlineData(1981, 1, 10)]
    [InlineData(1986, 1, 12)]
    [InlineData(1995, 1, 15)]
    [InlineData(2004, 4, 15)]
    [InlineData(2004, 5, 25)]
    [InlineData(2007, 1, 27)]
    [InlineData(2013, 7, 28)]
    [InlineData(2020, 1, 28)]
    [InlineData(2020, 2, 27)]
    public void The_EU_has_as_many_members_as_it_had_after_each_enlargement(int year, int month, int count)
    {
        Assert.Equal(count, Members(Set("EU"), Month(year, month)).Count());
    }

    [Fact]
    public void EU27_has_its_27_members_today()
    {
        Assert.Equal(27, Members(Set("EU27"), Month(2026, 12)).Count());
    }

    [Fact]
    public void The_EU_is_EU27_with_the_United_Kingdom_until_its_withdrawal_in_every_month()
    {
        var eu = Set("EU");
        var eu27 = Set("EU27");

        foreach (var month in Months())
        {
            var expected = Members(eu27, month).Concat(month <= Month(2020, 1) && month >= Month(1973, 1) ? ["GB"] : []).Order(StringComparer.Ordinal);
            Assert.Equal(expected, Members(eu, month));
        }
    }

    [Fact]
    public void OPEC_PLUS_holds_every_OPEC_member_in_every_month_and_the_Declaration_signatories_from_2017()
    {
        var opec = Set("OPEC");
        var plus = Set("OPEC_PLUS");
        string[] declaration = ["AZ", "BH", "BN", "GQ", "KZ", "MX", "MY", "OM", "RU", "SD", "SS"];

        foreach (var month in Months())
        {
            Assert.All(opec.Group!.Countries, c => Assert.True(!opec.Contains(c, month) || plus.Contains(c, month), $"{c} in OPEC, not in OPEC_PLUS, {month:yyyy-MM}"));
            var expected = Members(opec, month).Union(month >= Month(2017, 1) ? declaration : []).Order(StringComparer.Ordinal);
            Assert.Equal(expected, Members(plus, month));
        }
    }

    [Fact]
    public void Month_spans_count_exactly_the_months_Contains_counts_for_every_group_and_month_from_1958_to_2030()
    {
        // A configured group with the awkward cases too: a start before 1958, mid-month ends, periods leaving no month between them.
        var groups = Load(
            ("Trade:PartnerGroups:AWKWARD:Members:NO", "..1960-03-15, 1960-04-02..1961-01-01, 1961-02-01..1961-02-28, 1975-06-30.."),
            ("Trade:PartnerGroups:AWKWARD:Members:CH", "1999-12-31..2000-01-01"));
        string[] outsiders = ["US", "CN", "JP", "UA"];

        foreach (var group in groups.All)
        {
            var set = Set(group.Code, groups);
            var spans = set.MonthSpans();
            foreach (var country in group.Countries.Concat(outsiders))
            {
                var own = spans.Where(s => s.Country == country).ToList();
                foreach (var month in Months())
                {
                    var inSpan = own.Any(s => s.First <= month && (s.Last is not { } last || month <= last));
                    Assert.True(inSpan == set.Contains(country, month), $"{group.Code} {country} {month:yyyy-MM}: span {inSpan}, Contains {!inSpan}");
                }
            }
            Assert.All(spans, s => Assert.Equal(1, s.First.Day));
            Assert.All(spans, s => Assert.True(s.Last is not { } last || last.Day == 1 && s.First <= last));
        }
    }

    [Fact]
    public void A_countrys_month_spans_neither_overlap_nor_touch()
    {
        var groups = Load(("Trade:PartnerGroups:RUNS:Members:NO", "2000-01-01..2000-05-31, 2000-06-01..2000-06-20, 2000-07-01..2000-12-31, 2002-01-01.."));

        Assert.Equal([("NO", Month(2000, 1), (DateOnly?)Month(2000, 12)), ("NO", Month(2002, 1), null)], Set("RUNS", groups).MonthSpans());
        Assert.Equal([("ID", Month(1962, 6), (DateOnly?)Month(2008, 12)), ("ID", Month(2016, 1), Month(2016, 11))],
            Set("OPEC").MonthSpans().Where(s => s.Country == "ID"));
    }

    [Fact]
    public void WORLD_is_every_country_in_every_month_and_has_no_member_list()
    {
        var world = Set(PartnerGroups.World);

        Assert.True(world.IsWorld);
        Assert.Null(world.Group);
        Assert.True(world.Contains("AZ", Month(1900, 1)));
        Assert.True(world.Contains("GB", Month(2030, 12)));
        Assert.Contains("IsWorld", Assert.Throws<InvalidOperationException>(() => world.MonthSpans()).Message);
        Assert.DoesNotContain(Load().All, g => g.Code == PartnerGroups.World);
    }

    [Fact]
    public void Codes_are_compared_exactly_in_upper_case()
    {
        var groups = Load();

        Assert.True(groups.TryGet("OPEC", out var opec));
        Assert.False(opec.IsWorld);
        Assert.False(groups.TryGet("opec", out _));
        Assert.False(groups.TryGet("world", out _));
        Assert.False(groups.TryGet("AZ", out _));
    }

    [Fact]
    public void Configuration_adds_a_group_with_a_new_code()
    {
        var groups = Load(
            ("Trade:PartnerGroups:GCC:Name", "Gulf Cooperation Council"),
            ("Trade:PartnerGroups:GCC:Members:SA", "1981-05-25.."),
            ("Trade:PartnerGroups:GCC:Members:AE", "1981-05-25.."),
            ("Trade:PartnerGroups:GCC:Members:QA", "1981-05-25.."));

        var gcc = Set("GCC", groups);
        Assert.Equal("Gulf Cooperation Council", gcc.Group!.Name);
        Assert.Equal(["AE", "QA", "SA"], Members(gcc, Month(2020, 1)));
        Assert.Empty(Members(gcc, Month(1981, 5)));
        Assert.Equal(["EU", "EU27", "GCC", "OPEC", "OPEC_PLUS"], groups.All.Select(g => g.Code));
        Assert.Equal(["configuration Trade:PartnerGroups:GCC"], gcc.Group.Sources);
    }

    [Fact]
    public void Configuration_with_the_code_of_a_file_group_replaces_all_its_members_and_keeps_its_name()
    {
        var groups = Load(
            ("Trade:PartnerGroups:OPEC:Members:SA", "1960-09-14.."),
            ("Trade:PartnerGroups:OPEC:Members:BR", "2025-01-01.."));

        var opec = Set("OPEC", groups);
        Assert.Equal(["BR", "SA"], Members(opec, Month(2025, 1)));
        Assert.Equal(["SA"], Members(opec, Month(2018, 1)));
        Assert.Equal("Organization of the Petroleum Exporting Countries", opec.Group!.Name);
        Assert.Contains("replacing", opec.Group.Comment);
        Assert.True(Set("OPEC_PLUS", groups).Contains("QA", Month(2018, 1)));
    }

    [Fact]
    public void A_configured_group_may_have_members_for_all_time()
    {
        var groups = Load(("Trade:PartnerGroups:MINE:Members:IT", ".."));

        Assert.Equal([("IT", DateOnly.MinValue, (DateOnly?)null)], Set("MINE", groups).MonthSpans());
        Assert.True(Set("MINE", groups).Contains("IT", Month(1, 1)));
    }

    [Theory]
    [InlineData("Trade:PartnerGroups:GCC:Members:XY", "1981-05-25..", "Trade:PartnerGroups:GCC:Members:XY: 'XY' is not an officially assigned ISO 3166-1 alpha-2 code")]
    [InlineData("Trade:PartnerGroups:GCC:Members:UK", "1981-05-25..", "GB, not UK")]
    [InlineData("Trade:PartnerGroups:GCC:Members:SA", "1981-05-25..2000-12-31, 2000-01-01..", "Trade:PartnerGroups:GCC:Members:SA: 1981-05-25..2000-12-31 and 2000-01-01.. overlap")]
    [InlineData("Trade:PartnerGroups:GCC:Members:SA", "1981-05-25.., 1990-01-01..", "1981-05-25.. and 1990-01-01.. overlap")]
    [InlineData("Trade:PartnerGroups:GCC:Members:SA", "2000-01-01..1999-12-31", "Trade:PartnerGroups:GCC:Members:SA: 2000-01-01..1999-12-31 ends before it starts")]
    [InlineData("Trade:PartnerGroups:GCC:Members:SA", "2000-01-02..2000-01-31", "contains no first day of a month")]
    [InlineData("Trade:PartnerGroups:GCC:Members:SA", "1981", "'1981' is not a period; write FIRST..LAST in days as yyyy-MM-dd")]
    [InlineData("Trade:PartnerGroups:GCC:Members:SA", "25/05/1981..", "'25/05/1981..' is not a period")]
    [InlineData("Trade:PartnerGroups:DE:Members:FR", "1958-01-01..", "Trade:PartnerGroups:DE: 'DE' is a country's ISO 3166-1 code")]
    [InlineData("Trade:PartnerGroups:WORLD:Members:FR", "1958-01-01..", "Trade:PartnerGroups:WORLD: WORLD is built in (every country) and cannot be redefined")]
    [InlineData("Trade:PartnerGroups:gcc:Members:SA", "1981-05-25..", "Trade:PartnerGroups:gcc: 'gcc' is not a group code; use 2 to 16 characters of A-Z, 0-9 and '_', in upper case")]
    [InlineData("Trade:PartnerGroups:X:Members:SA", "1981-05-25..", "'X' is not a group code")]
    [InlineData("Trade:PartnerGroups:SEVENTEEN_LETTERS:Members:SA", "1981-05-25..", "'SEVENTEEN_LETTERS' is not a group code")]
    [InlineData("Trade:PartnerGroups:GCC:Member:SA", "1981-05-25..", "Trade:PartnerGroups:GCC:Member: a group has no setting 'Member'; it takes Name and Members")]
    [InlineData("Trade:PartnerGroups:GCC:Name", "Gulf", "Trade:PartnerGroups:GCC: the group lists no members")]
    [InlineData("Trade:PartnerGroups:GCC:Members", "SA", "Trade:PartnerGroups:GCC:Members: Members is a section with one setting per member")]
    [InlineData("Trade:PartnerGroups:GCC:Members:SA:0", "1981-05-25..", "Trade:PartnerGroups:GCC:Members:SA: a member is a value")]
    [InlineData("Trade:PartnerGroups:GCC", "SA", "Trade:PartnerGroups:GCC: a group is a section, not a value")]
    public void Wrong_configuration_stops_the_load_naming_the_entry_and_what_to_do(string key, string value, string expected)
    {
        var ex = Assert.Throws<InvalidPartnerGroupsException>(() => Load((key, value)));

        Assert.Contains(ex.Problems, p => p.Contains(expected, StringComparison.Ordinal));
        Assert.StartsWith("Trade cannot start: its partner groups are invalid.", ex.Message);
        Assert.Contains("Trade__PartnerGroups__", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Every_wrong_entry_is_reported_at_once()
    {
        var ex = Assert.Throws<InvalidPartnerGroupsException>(() => Load(
            ("Trade:PartnerGroups:WORLD:Members:FR", "1958-01-01.."),
            ("Trade:PartnerGroups:GCC:Members:XY", "1981-05-25.."),
            ("Trade:PartnerGroups:GCC:Members:SA", "1981-05-25..2000-12-31, 2000-01-01..")));

        Assert.Equal(3, ex.Problems.Count);
    }

    [Theory]
    [InlineData("""{ "version": "2026-12-01", "comment": "", "groups": [ { "code": "G1", "name": "", "comment": "", "sources": [], "members": { "FR": "1958-01-01..", "FR": "1973-01-01.." } } ] }""", "partner-groups.json at $.groups[0].members.FR: Duplicate properties")]
    [InlineData("""{ "version": "2026-12-01", "comment": "", "groups": [ { "code": "G1", "name": "", "comment": "", "sources": [], "member": { "FR": "1958-01-01.." } } ] }""", "The JSON property 'member' could not be mapped")]
    [InlineData("""{ "version": "2026-12-01", "comment": "", "groups": [ { "code": "G1", "name": "", "comment": "", "sources": [], "members": { "FR": "1958-01-01.." }, "notes": { "DE": "x" } } ] }""", "partner-groups.json group G1: has a note on DE, which it does not list as a member")]
    [InlineData("""{ "version": "2026-12-01", "comment": "", "groups": [ { "code": "G1", "name": "", "comment": "", "sources": [], "members": { "FR": "1958-01-01.." } }, { "code": "G1", "name": "", "comment": "", "sources": [], "members": { "DE": "1958-01-01.." } } ] }""", "partner-groups.json group G1: the code G1 is used by an earlier group too")]
    [InlineData("""{ "version": "December", "comment": "", "groups": [] }""", "version 'December' is not a day")]
    [InlineData("""{ "version": "2026-12-01", "comment": "", "groups": [ { "code": "G1", "name": "", "comment": "", "sources": [], "members": { "FR": "1958-01-01..1958-01-31, 1958-01-01.." } } ] }""", "partner-groups.json group G1 member FR: 1958-01-01..1958-01-31 and 1958-01-01.. overlap")]
    public void A_wrong_file_is_refused_with_the_entry_named(string json, string expected)
    {
        using var file = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));

        var ex = Assert.Throws<InvalidPartnerGroupsException>(() => PartnerGroups.Load(file, Configuration().GetSection(PartnerGroups.SectionName)));

        Assert.Contains(ex.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Registration_loads_the_groups_at_once_and_shares_one_instance()
    {
        var services = new ServiceCollection().AddPartnerGroups(Configuration(("Trade:PartnerGroups:GCC:Members:SA", "1981-05-25..")));
        using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<PartnerGroups>(), provider.GetRequiredService<PartnerGroups>());
        Assert.True(provider.GetRequiredService<PartnerGroups>().TryGet("GCC", out _));
        Assert.Throws<InvalidPartnerGroupsException>(() => new ServiceCollection().AddPartnerGroups(Configuration(("Trade:PartnerGroups:WORLD:Members:FR", "1958-01-01.."))));
    }
}
