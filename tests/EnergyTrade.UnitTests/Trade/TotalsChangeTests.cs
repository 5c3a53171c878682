using EnergyTrade.Trade.Totals;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.UnitTests.Trade;

[Trait("Category", "Unit")]
public sealed class TotalsChangeTests
{
    private static TotalsKey Key(string exporter, string importer, string origin, int month = 3) =>
        new(exporter, importer, origin, new DateOnly(2020, month, 1));

    [Fact]
    public void The_payload_lists_each_flow_once_sorted_without_months()
    {
        var payload = TotalsChange.Encode([Key("AZ", "BY", "RU"), Key("AZ", "BY", "AZ", 1), Key("AZ", "BY", "AZ", 4), Key("BY", "AZ", "BY")]);

        Assert.Equal("AZBYAZ,AZBYRU,BYAZBY", payload);
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
        Assert.Equal(TotalsChange.EverythingPayload, TotalsChange.Encode([.. keys, Key("ZZ", "ZY", "ZX")]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("AZBY")]
    [InlineData("AZBYAZ,,")]
    [InlineData("AZBYAZ;BYAZBY")]
    public void An_unreadable_payload_counts_as_everything(string? payload)
    {
        Assert.True(TotalsChange.Parse(payload).IsEverything);
    }

    [Fact]
    public void On_the_commercial_basis_a_flow_concerns_its_exporter_and_importer_either_way_round()
    {
        var change = TotalsChange.Parse("AZBYRU");

        Assert.True(change.Touches("AZ", "BY", V1.Basis.Commercial));
        Assert.True(change.Touches("BY", "AZ", V1.Basis.Commercial));
        Assert.False(change.Touches("RU", "BY", V1.Basis.Commercial));
        Assert.False(change.Touches("AZ", "RU", V1.Basis.Commercial));
    }

    [Fact]
    public void On_the_origin_basis_a_flow_concerns_its_origin_and_importer()
    {
        var change = TotalsChange.Parse("AZBYRU");

        Assert.True(change.Touches("RU", "BY", V1.Basis.Origin));
        Assert.True(change.Touches("BY", "RU", V1.Basis.Origin));
        Assert.False(change.Touches("AZ", "BY", V1.Basis.Origin));
        Assert.False(change.Touches("BY", "AZ", V1.Basis.Origin));
    }

    [Fact]
    public void Everything_concerns_every_pair()
    {
        Assert.True(TotalsChange.Everything.Touches("IS", "NR", V1.Basis.Origin));
        Assert.True(TotalsChange.Everything.Touches("IS", "NR", V1.Basis.Commercial));
    }
}
