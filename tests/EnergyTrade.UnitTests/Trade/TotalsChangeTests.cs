using EnergyTrade.Trade.Totals;
using V1 = EnergyTrade.Trade.V1;
using EnergyTrade.Types.V1;

namespace EnergyTrade.UnitTests.Trade;

[Trait("Category", "Unit")]
public sealed class TotalsChangeTests
{
    private static TotalsKey Key(string exporter, string importer, string origin, int month = 3) =>
        new(exporter, importer, origin, new DateOnly(2020, month, 1), null, null);

    [Fact]
    public void The_payload_lists_each_changed_flow_and_month_once_sorted()
    {
        var payload = TotalsChange.Encode([Key("AZ", "BY", "RU"), Key("AZ", "BY", "AZ", 4), Key("AZ", "BY", "AZ", 1), Key("BY", "AZ", "BY"), Key("AZ", "BY", "RU")]);

        Assert.Equal("AZBYAZ202001,AZBYAZ202004,AZBYRU202003,BYAZBY202003", payload);
    }

    [Fact]
    public void When_the_months_do_not_fit_the_payload_lists_the_flows_alone()
    {
        // 600 months of one flow: 600 × 13 bytes is over the limit, one flow is 6.
        var keys = Enumerable.Range(0, 600).Select(i => new TotalsKey("AZ", "BY", "RU", new DateOnly(1990 + i / 12, i % 12 + 1, 1), null, null)).ToList();

        var payload = TotalsChange.Encode(keys);

        Assert.Equal("AZBYRU", payload);
        var change = TotalsChange.Parse(payload);
        Assert.Null(change.MonthsOf(new TotalsFlow("AZ", "BY", "RU")));
        Assert.True(change.Touches("AZ", "BY", Basis.Commercial, new DateOnly(2100, 1, 1), new DateOnly(2100, 1, 1)));
    }

    [Fact]
    public void A_change_with_months_touches_only_ranges_that_hold_one_of_them()
    {
        var change = TotalsChange.Parse(TotalsChange.Encode([Key("AZ", "BY", "RU", 3), Key("AZ", "BY", "RU", 7)]));
        DateOnly M(int month) => new(2020, month, 1);

        Assert.Equal([M(3), M(7)], change.MonthsOf(new TotalsFlow("AZ", "BY", "RU"))!.Order());
        Assert.True(change.Touches("AZ", "BY", Basis.Commercial));
        Assert.True(change.Touches("BY", "AZ", Basis.Commercial, M(3), M(3)));
        Assert.True(change.Touches("AZ", "BY", Basis.Commercial, M(4), null));
        Assert.True(change.Touches("AZ", "BY", Basis.Commercial, null, M(3)));
        Assert.True(change.Touches("RU", "BY", Basis.Origin, M(7), M(12)));
        Assert.False(change.Touches("AZ", "BY", Basis.Commercial, M(4), M(6)));
        Assert.False(change.Touches("AZ", "BY", Basis.Commercial, M(8), null));
        Assert.False(change.Touches("AZ", "BY", Basis.Commercial, null, M(2)));
        Assert.False(change.Touches("AZ", "BY", Basis.Commercial, new DateOnly(2021, 3, 1), new DateOnly(2021, 3, 1)));
    }

    [Fact]
    public void A_payload_round_trips()
    {
        var change = TotalsChange.Parse(TotalsChange.Encode([Key("AZ", "BY", "RU"), Key("KZ", "CN", "KZ")]));

        Assert.False(change.IsEverything);
        Assert.Equal([new TotalsFlow("AZ", "BY", "RU"), new TotalsFlow("KZ", "CN", "KZ")], change.Flows.OrderBy(f => f.Exporter));
    }

    [Fact]
    public void Too_many_flows_for_one_notification_become_everything()
    {
        var codes = Enumerable.Range(0, 26 * 26).Select(i => $"{(char)('A' + i / 26)}{(char)('A' + i % 26)}").ToList();
        var keys = codes.SelectMany(e => codes.Take(2).Select(i => Key(e, i, "ZZ"))).ToList();

        var payload = TotalsChange.Encode(keys);

        Assert.Equal(TotalsChange.EverythingPayload, payload);
        Assert.True(TotalsChange.Parse(payload).IsEverything);
    }

    [Fact]
    public void The_largest_listed_payload_fits_pg_notify()
    {
        var codes = Enumerable.Range(0, 26 * 26).Select(i => $"{(char)('A' + i / 26)}{(char)('A' + i % 26)}").ToList();
        var keys = codes.SelectMany(e => codes.Take(2).Select(i => Key(e, i, "AZ"))).Take(1000).ToList();

        var payload = TotalsChange.Encode(keys);

        Assert.NotEqual(TotalsChange.EverythingPayload, payload);
        Assert.True(payload.Length <= TotalsChange.MaxPayloadBytes);
        Assert.Equal(1000, TotalsChange.Parse(payload).Flows.Count);
        Assert.StartsWith("AAAAAZ,", payload); // 1,000 rows with their month would not fit: flows only
        Assert.Equal(TotalsChange.EverythingPayload, TotalsChange.Encode([.. keys, Key("ZZ", "ZY", "ZX")]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("AZBY")]
    [InlineData("AZBYAZ,,")]
    [InlineData("AZBYAZ;BYAZBY")]
    [InlineData("AZBYAZ2020")]
    [InlineData("AZBYAZ202013")]
    [InlineData("AZBYAZ000001")]
    [InlineData("AZBYAZ2020-1")]
    [InlineData("AZBYAZ+20201")]
    public void An_unreadable_payload_counts_as_everything(string? payload)
    {
        Assert.True(TotalsChange.Parse(payload).IsEverything);
    }

    [Fact]
    public void On_the_commercial_basis_a_flow_concerns_its_exporter_and_importer_either_way_round()
    {
        var change = TotalsChange.Parse("AZBYRU");

        Assert.True(change.Touches("AZ", "BY", Basis.Commercial));
        Assert.True(change.Touches("BY", "AZ", Basis.Commercial));
        Assert.False(change.Touches("RU", "BY", Basis.Commercial));
        Assert.False(change.Touches("AZ", "RU", Basis.Commercial));
    }

    [Fact]
    public void On_the_origin_basis_a_flow_concerns_its_origin_and_importer()
    {
        var change = TotalsChange.Parse("AZBYRU");

        Assert.True(change.Touches("RU", "BY", Basis.Origin));
        Assert.True(change.Touches("BY", "RU", Basis.Origin));
        Assert.False(change.Touches("AZ", "BY", Basis.Origin));
        Assert.False(change.Touches("BY", "AZ", Basis.Origin));
    }

    [Fact]
    public void Everything_concerns_every_pair()
    {
        Assert.True(TotalsChange.Everything.Touches("IS", "NR", Basis.Origin));
        Assert.True(TotalsChange.Everything.Touches("IS", "NR", Basis.Commercial));
    }
}
