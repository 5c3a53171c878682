using System.Text;
using EnergyTrade.Trade.Api;
using V1 = EnergyTrade.Trade.V1;
using OrderBy = EnergyTrade.Trade.V1.ListPartnersRequest.Types.OrderBy;
using EnergyTrade.Types.V1;

namespace EnergyTrade.UnitTests.Trade;

[Trait("Category", "Unit")]
public sealed class PartnersPageTokenTests
{
    private static readonly MonthRange Jan2020ToApr2020 = new(new DateOnly(2020, 1, 1), new DateOnly(2020, 4, 1));

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public void A_token_round_trips()
    {
        var token = new PartnersPageToken(50, PartnersPageToken.FilterOf("AZ", Jan2020ToApr2020, Basis.Origin, OrderBy.Barrels));

        Assert.True(PartnersPageToken.TryDecode(token.Encode(), out var decoded));
        Assert.Equal(token, decoded);
    }

    [Fact]
    public void The_token_is_url_safe_and_does_not_show_the_filter()
    {
        var encoded = new PartnersPageToken(1000, PartnersPageToken.FilterOf("AZ", Jan2020ToApr2020, Basis.Commercial, OrderBy.TurnoverValue)).Encode();

        Assert.Matches("^[A-Za-z0-9_-]+$", encoded);
        Assert.DoesNotContain("AZ", Encoding.UTF8.GetString(Convert.FromBase64String(Pad(encoded))), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_part_of_the_filter_changes_its_hash()
    {
        var filters = new[]
        {
            PartnersPageToken.FilterOf("AZ", Jan2020ToApr2020, Basis.Commercial, OrderBy.TurnoverValue),
            PartnersPageToken.FilterOf("BY", Jan2020ToApr2020, Basis.Commercial, OrderBy.TurnoverValue),
            PartnersPageToken.FilterOf("AZ", Jan2020ToApr2020 with { First = null }, Basis.Commercial, OrderBy.TurnoverValue),
            PartnersPageToken.FilterOf("AZ", Jan2020ToApr2020 with { Last = new DateOnly(2020, 5, 1) }, Basis.Commercial, OrderBy.TurnoverValue),
            PartnersPageToken.FilterOf("AZ", Jan2020ToApr2020, Basis.Origin, OrderBy.TurnoverValue),
            PartnersPageToken.FilterOf("AZ", Jan2020ToApr2020, Basis.Commercial, OrderBy.Barrels),
            PartnersPageToken.FilterOf("AZ", Jan2020ToApr2020, Basis.Commercial, OrderBy.TurnoverValue, new DateTimeOffset(2020, 5, 10, 0, 0, 0, TimeSpan.Zero)),
            PartnersPageToken.FilterOf("AZ", Jan2020ToApr2020, Basis.Commercial, OrderBy.TurnoverValue, new DateTimeOffset(2020, 5, 10, 0, 0, 0, 1, TimeSpan.Zero)),
        };

        Assert.Equal(filters.Length, filters.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(filters[0], PartnersPageToken.FilterOf("AZ", Jan2020ToApr2020, Basis.Commercial, OrderBy.TurnoverValue));
    }

    [Fact]
    public void An_open_end_differs_from_any_month()
    {
        Assert.NotEqual(
            PartnersPageToken.FilterOf("AZ", new MonthRange(null, new DateOnly(2020, 4, 1)), Basis.Commercial, OrderBy.TurnoverValue),
            PartnersPageToken.FilterOf("AZ", new MonthRange(new DateOnly(2020, 4, 1), null), Basis.Commercial, OrderBy.TurnoverValue));
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("not a token")]
    [InlineData("eyJ")]
    public void Garbage_is_rejected(string token)
    {
        Assert.False(PartnersPageToken.TryDecode(token, out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("{\"Offset\":-1,\"Filter\":\"abc\"}")]
    [InlineData("{\"Offset\":\"ten\",\"Filter\":\"abc\"}")]
    [InlineData("{\"Offset\":10}")]
    [InlineData("{\"Offset\":99999999999,\"Filter\":\"abc\"}")]
    public void Well_encoded_json_of_the_wrong_shape_is_rejected(string json)
    {
        Assert.False(PartnersPageToken.TryDecode(Base64Url(json), out var value));
        Assert.Null(value);
    }

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }
}
