using System.Globalization;
using EnergyTrade.ServiceDefaults;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class ProtoConvertTests
{
    private static decimal D(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("1.5e3", "1500")]
    [InlineData("1.5E3", "1500")]
    [InlineData("1.5e+3", "1500")]
    [InlineData("15e-1", "1.5")]
    [InlineData("675000.000", "675000")]
    [InlineData("-52.6", "-52.6")]
    [InlineData("+7.33", "7.33")]
    [InlineData(".5", "0.5")]
    [InlineData("0", "0")]
    public void Decimal_text_parses_exactly(string text, string expected)
    {
        Assert.True(ProtoConvert.TryParseDecimal(Proto.Dec(text), out var value));
        Assert.Equal(D(expected), value);
    }

    [Fact]
    public void Exponent_notation_is_1500_not_a_float()
    {
        Assert.True(ProtoConvert.TryParseDecimal(Proto.Dec("1.5e3"), out var value));
        Assert.Equal(1500m, value);
    }

    [Fact]
    public void Digits_beyond_double_precision_survive()
    {
        Assert.True(ProtoConvert.TryParseDecimal(Proto.Dec("123456789012345.678901"), out var value));
        Assert.Equal(123_456_789_012_345.678901m, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("1,000")]
    [InlineData("1 000")]
    [InlineData(" 1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("0x10")]
    [InlineData("1e1000")]
    [InlineData("79228162514264337593543950336")]
    public void Text_that_is_not_a_decimal_is_rejected(string text)
    {
        Assert.False(ProtoConvert.TryParseDecimal(Proto.Dec(text), out _));
    }

    [Fact]
    public void Text_longer_than_64_characters_is_rejected()
    {
        var text = "1." + new string('0', 63);
        Assert.Equal(65, text.Length);

        Assert.False(ProtoConvert.TryParseDecimal(Proto.Dec(text), out _));
        Assert.True(ProtoConvert.TryParseDecimal(Proto.Dec(text[..64]), out var shorter));
        Assert.Equal(1m, shorter);
    }

    [Fact]
    public void A_missing_decimal_is_rejected()
    {
        Assert.False(ProtoConvert.TryParseDecimal(null, out var value));
        Assert.Equal(0m, value);
    }

    [Theory]
    [InlineData("675000.000")]
    [InlineData("-52.6")]
    [InlineData("0.001")]
    [InlineData("136425.648")]
    public void Decimal_round_trips_through_its_text_with_its_scale(string text)
    {
        var value = D(text);

        var proto = ProtoConvert.ToProtoDecimal(value);

        Assert.Equal(text, proto.Value);
        Assert.True(ProtoConvert.TryParseDecimal(proto, out var back));
        Assert.Equal(value, back);
        Assert.Equal(value.Scale, back.Scale);
    }

    [Theory]
    [InlineData("1234.56", 1234, 560_000_000)]
    [InlineData("-52.6", -52, -600_000_000)]
    [InlineData("-0.5", 0, -500_000_000)]
    [InlineData("0.01", 0, 10_000_000)]
    [InlineData("0", 0, 0)]
    [InlineData("999999999999.99", 999_999_999_999, 990_000_000)]
    [InlineData("0.000000001", 0, 1)]
    public void Money_round_trips_exactly(string usd, long units, int nanos)
    {
        var value = D(usd);

        var money = ProtoConvert.ToProtoMoney(value);

        Assert.Equal("USD", money.CurrencyCode);
        Assert.Equal(units, money.Units);
        Assert.Equal(nanos, money.Nanos);
        Assert.True(ProtoConvert.IsWellFormed(money));
        Assert.Equal(value, ProtoConvert.ToDecimal(money));
    }

    [Fact]
    public void Money_to_decimal_does_not_go_through_double()
    {
        // 2^53 + 1 dollars and one cent: a double cannot hold it.
        var money = Proto.Usd(9_007_199_254_740_993, 10_000_000);
        Assert.Equal((double)9_007_199_254_740_992L, (double)9_007_199_254_740_993L);

        Assert.Equal(9_007_199_254_740_993.01m, ProtoConvert.ToDecimal(money));
    }

    [Fact]
    public void Tenths_and_cents_are_exact()
    {
        Assert.Equal(0.3m, ProtoConvert.ToDecimal(Proto.Usd(0, 100_000_000)) + ProtoConvert.ToDecimal(Proto.Usd(0, 200_000_000)));
    }

    [Theory]
    [InlineData(1, 500_000_000, true)]
    [InlineData(-1, -500_000_000, true)]
    [InlineData(0, -500_000_000, true)]
    [InlineData(0, 999_999_999, true)]
    [InlineData(0, 0, true)]
    [InlineData(1, -1, false)]
    [InlineData(-1, 1, false)]
    [InlineData(0, 1_000_000_000, false)]
    [InlineData(0, -1_000_000_000, false)]
    public void Money_is_well_formed_only_with_one_sign_and_nanos_below_a_unit(long units, int nanos, bool expected)
    {
        Assert.Equal(expected, ProtoConvert.IsWellFormed(Proto.Usd(units, nanos)));
    }

    [Theory]
    [InlineData(2020, 2, 29)]
    [InlineData(2021, 12, 31)]
    [InlineData(1, 1, 1)]
    [InlineData(9999, 12, 31)]
    public void Real_dates_convert(int year, int month, int day)
    {
        Assert.True(ProtoConvert.TryGetDate(Proto.Date(year, month, day), out var date));
        Assert.Equal(new DateOnly(year, month, day), date);
        Assert.Equal(Proto.Date(year, month, day), ProtoConvert.ToProtoDate(date));
    }

    [Theory]
    [InlineData(2021, 2, 30)]
    [InlineData(2021, 2, 29)]
    [InlineData(2021, 4, 31)]
    [InlineData(2021, 2, 0)]
    [InlineData(2021, 0, 1)]
    [InlineData(0, 2, 1)]
    [InlineData(2021, 13, 1)]
    [InlineData(10000, 1, 1)]
    [InlineData(2021, 1, -1)]
    public void Impossible_or_partial_dates_are_rejected(int year, int month, int day)
    {
        Assert.False(ProtoConvert.TryGetDate(Proto.Date(year, month, day), out var date));
        Assert.Equal(default, date);
    }

    [Fact]
    public void A_missing_date_is_rejected()
    {
        Assert.False(ProtoConvert.TryGetDate(null, out _));
        Assert.False(ProtoConvert.TryGetMonth(null, out _));
    }

    [Fact]
    public void A_month_has_day_0_and_means_its_first_day()
    {
        Assert.True(ProtoConvert.TryGetMonth(Proto.Date(2020, 3, 0), out var month));
        Assert.Equal(new DateOnly(2020, 3, 1), month);

        Assert.Equal(Proto.Date(2020, 3, 0), ProtoConvert.ToProtoMonth(new DateOnly(2020, 3, 17)));
    }

    [Theory]
    [InlineData(2020, 3, 1)]
    [InlineData(2020, 0, 0)]
    [InlineData(2020, 13, 0)]
    [InlineData(0, 3, 0)]
    public void A_month_with_a_day_or_without_a_real_month_is_rejected(int year, int month, int day)
    {
        Assert.False(ProtoConvert.TryGetMonth(Proto.Date(year, month, day), out _));
    }
}
