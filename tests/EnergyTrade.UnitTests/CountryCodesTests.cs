using EnergyTrade.Contracts;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class CountryCodesTests
{
    [Fact]
    public void There_are_exactly_249_assigned_codes()
    {
        Assert.Equal(249, CountryCodes.Count);
    }

    [Theory]
    [InlineData("AZ")]
    [InlineData("BY")]
    [InlineData("RU")]
    [InlineData("KZ")]
    [InlineData("GE")]
    [InlineData("TR")]
    [InlineData("UA")]
    [InlineData("GB")]
    [InlineData("AD")]
    [InlineData("ZW")]
    public void Officially_assigned_codes_are_accepted(string code)
    {
        Assert.True(CountryCodes.IsAssigned(code));
    }

    [Theory]
    [InlineData("EU")]
    [InlineData("UK")]
    [InlineData("XK")]
    [InlineData("ZZ")]
    [InlineData("XX")]
    [InlineData("AA")]
    [InlineData("QM")]
    [InlineData("az")]
    [InlineData("Az")]
    [InlineData("")]
    [InlineData(" AZ")]
    [InlineData("AZE")]
    [InlineData("A")]
    [InlineData(null)]
    public void Reserved_user_assigned_malformed_or_lower_case_codes_are_rejected(string? code)
    {
        Assert.False(CountryCodes.IsAssigned(code));
    }

    [Fact]
    public void Every_assigned_code_is_two_upper_case_ascii_letters()
    {
        var all = from a in Enumerable.Range('A', 26)
                  from b in Enumerable.Range('A', 26)
                  select $"{(char)a}{(char)b}";

        var assigned = all.Where(CountryCodes.IsAssigned).ToList();

        Assert.Equal(249, assigned.Count);
        Assert.All(assigned, code => Assert.False(CountryCodes.IsAssigned(code.ToLowerInvariant())));
    }
}
