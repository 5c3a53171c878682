using System.Text;
using EnergyTrade.Shipments.Api;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class PageTokenTests
{
    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public void A_token_round_trips()
    {
        var token = new PageToken(new DateOnly(2020, 3, 15), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "exporter=AZ;importer=BY");

        Assert.True(PageToken.TryDecode(token.Encode(), out var decoded));
        Assert.Equal(token, decoded);
    }

    [Fact]
    public void The_token_is_url_safe_and_opaque()
    {
        var encoded = new PageToken(new DateOnly(2020, 3, 15), Guid.NewGuid(), "filter+with/odd=chars?&").Encode();

        Assert.DoesNotContain('+', encoded);
        Assert.DoesNotContain('/', encoded);
        Assert.DoesNotContain('=', encoded);
        Assert.DoesNotContain("filter", encoded, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_filters_give_different_tokens()
    {
        var id = Guid.NewGuid();
        var date = new DateOnly(2020, 3, 15);

        Assert.NotEqual(new PageToken(date, id, "a").Encode(), new PageToken(date, id, "b").Encode());
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("not a token")]
    [InlineData("a")]
    [InlineData("eyJ")]
    public void Garbage_is_rejected(string token)
    {
        Assert.False(PageToken.TryDecode(token, out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"LoadDate\":\"2020-13-45\",\"Id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"Filter\":\"\"}")]
    [InlineData("{\"LoadDate\":\"2020-03-15\",\"Id\":\"not-a-guid\",\"Filter\":\"\"}")]
    [InlineData("{\"LoadDate\":\"2020-03-15\"")]
    public void Well_encoded_json_of_the_wrong_shape_is_rejected(string json)
    {
        Assert.False(PageToken.TryDecode(Base64Url(json), out var value));
        Assert.Null(value);
    }

    [Fact]
    public void A_truncated_token_is_rejected()
    {
        var encoded = new PageToken(new DateOnly(2020, 3, 15), Guid.NewGuid(), "exporter=AZ").Encode();

        Assert.False(PageToken.TryDecode(encoded[..(encoded.Length / 2)], out _));
    }
}
