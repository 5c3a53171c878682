using EnergyTrade.Shipments.Api;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class GradePageTokenTests
{
    [Fact]
    public void A_token_round_trips_the_last_key()
    {
        Assert.True(GradePageToken.TryDecode(GradePageToken.Encode("azeri light"), out var key));
        Assert.Equal("azeri light", key);
    }

    [Theory]
    [InlineData("not base64 !")]
    [InlineData("c2hpcG1lbnRz")] // "shipments": another list's kind of token
    public void Anything_else_is_not_a_token(string token)
    {
        Assert.False(GradePageToken.TryDecode(token, out _));
    }
}
