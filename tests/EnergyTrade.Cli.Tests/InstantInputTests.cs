using EnergyTrade.Cli.Input;
using EnergyTrade.Cli.Output;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class InstantInputTests
{
    private static string Parsed(string text, DateMeans date)
    {
        Assert.True(InstantInput.TryParse(text, date, out var instant), text);
        return Instants.Format(instant);
    }

    [Fact]
    public void A_date_as_of_is_the_last_microsecond_of_that_day_utc() =>
        Assert.Equal("2020-05-10 23:59:59.999999 UTC", Parsed("2020-05-10", DateMeans.EndOfDay));

    [Fact]
    public void A_date_since_is_the_microsecond_before_that_day_starts_utc() =>
        Assert.Equal("2020-04-30 23:59:59.999999 UTC", Parsed("2020-05-01", DateMeans.JustBeforeDay));

    [Theory]
    [InlineData("2020-05-10T12:00:00Z", "2020-05-10 12:00:00 UTC")]
    [InlineData("2020-05-10T12:00Z", "2020-05-10 12:00:00 UTC")]
    [InlineData("2020-05-10T14:00+02:00", "2020-05-10 12:00:00 UTC")]
    [InlineData("2020-05-10T07:30:00-04:30", "2020-05-10 12:00:00 UTC")]
    [InlineData("2020-05-10t12:00:00z", "2020-05-10 12:00:00 UTC")]
    [InlineData(" 2020-05-20T09:15:30.123456Z ", "2020-05-20 09:15:30.123456 UTC")]
    [InlineData("2020-05-20T09:15:30.123456789Z", "2020-05-20 09:15:30.123456789 UTC")]
    [InlineData("2020-01-01T01:00+02:00", "2019-12-31 23:00:00 UTC")]
    public void A_timestamp_with_z_or_an_offset_is_that_instant_whatever_the_date_means(string text, string utc)
    {
        Assert.Equal(utc, Parsed(text, DateMeans.EndOfDay));
        Assert.Equal(utc, Parsed(text, DateMeans.JustBeforeDay));
    }

    [Theory]
    [InlineData("2020-05-10T12:00:00")]
    [InlineData("2020-05-10T12:00")]
    [InlineData("2020-05-10T12:00:00.5")]
    public void A_timestamp_without_an_offset_says_to_add_one(string text)
    {
        Assert.False(InstantInput.TryParse(text, DateMeans.EndOfDay, out _));
        Assert.Equal($"--as-of '{text}' has no time zone; add Z for UTC or an offset, e.g. {text}Z or {text}+02:00.",
            InstantInput.Describe("--as-of", text, DateMeans.EndOfDay));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2020-05")]
    [InlineData("2020-02-30")]
    [InlineData("2020-05-10T25:00Z")]
    [InlineData("2020-05-10T12:00+15:00")]
    [InlineData("2020-05-10 12:00Z")]
    [InlineData("2020-05-10T12:00:00.1234567890Z")]
    [InlineData("0001-01-01T00:30+01:00")]
    [InlineData("2020-05-10T12:00:00.٣Z")]
    [InlineData("")]
    public void Anything_else_is_not_an_instant(string text) =>
        Assert.False(InstantInput.TryParse(text, DateMeans.EndOfDay, out _));

    [Fact]
    public void The_message_for_a_wrong_instant_says_what_a_date_means_there()
    {
        Assert.Equal("--as-of 'yesterday' is not an instant; give a date YYYY-MM-DD (the end of that day, UTC) or a timestamp with Z or an offset, e.g. 2020-05-10T12:00:00Z.",
            InstantInput.Describe("--as-of", "yesterday", DateMeans.EndOfDay));
        Assert.Contains("(from the start of that day, UTC)", InstantInput.Describe("--since", "yesterday", DateMeans.JustBeforeDay));
    }

    [Fact]
    public void The_first_day_cannot_be_counted_from_the_instant_before_it() =>
        Assert.False(InstantInput.TryParse("0001-01-01", DateMeans.JustBeforeDay, out _));
}
