using EnergyTrade.Trade.Partners;
using Microsoft.Extensions.Configuration;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Api;
using V1 = EnergyTrade.Trade.V1;
using OrderBy = EnergyTrade.Trade.V1.ListPartnersRequest.Types.OrderBy;
using EnergyTrade.Types.V1;

namespace EnergyTrade.UnitTests.Trade;

[Trait("Category", "Unit")]
public sealed class RequestRulesTests
{
    private static readonly PartnerGroups Groups = PartnerGroups.Load(new ConfigurationBuilder().Build());

    [Fact]
    public void A_valid_pair_becomes_a_query_with_the_commercial_basis_by_default()
    {
        var violations = new FieldViolations();

        var q = RequestRules.Pair("AZ", "BY", Proto.Date(2020, 1, 0), Proto.Date(2020, 4, 0), Basis.Unspecified, Groups, violations);

        Assert.Empty(violations.Items);
        Assert.Equal(new PairQuery("AZ", "BY", new MonthRange(new DateOnly(2020, 1, 1), new DateOnly(2020, 4, 1)), Basis.Commercial), q);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var violations = new FieldViolations();

        RequestRules.Pair("XX", "", Proto.Date(2020, 1, 5), Proto.Date(2020, 13, 0), (Basis)7, Groups, violations);

        Assert.Equal(new[]
        {
            "basis INVALID_ENUM", "country UNKNOWN_COUNTRY", "first_month INVALID_MONTH", "last_month INVALID_MONTH", "partner REQUIRED",
        }, Proto.Keys(violations));
    }

    [Fact]
    public void The_same_country_twice_is_not_a_pair()
    {
        var violations = new FieldViolations();

        RequestRules.Pair("AZ", "AZ", null, null, Basis.Origin, Groups, violations);

        Assert.Equal(new[] { "partner SAME_COUNTRY" }, Proto.Keys(violations));
    }

    [Theory]
    [InlineData(Basis.Unspecified, Basis.Commercial)]
    [InlineData(Basis.Commercial, Basis.Commercial)]
    [InlineData(Basis.Origin, Basis.Origin)]
    public void Known_bases(Basis given, Basis effective)
    {
        var violations = new FieldViolations();
        Assert.Equal(effective, RequestRules.Basis(given, violations));
        Assert.Empty(violations.Items);
    }

    [Theory]
    [InlineData(OrderBy.Unspecified, OrderBy.TurnoverValue)]
    [InlineData(OrderBy.TurnoverValue, OrderBy.TurnoverValue)]
    [InlineData(OrderBy.Barrels, OrderBy.Barrels)]
    public void Known_orders(OrderBy given, OrderBy effective)
    {
        var violations = new FieldViolations();
        Assert.Equal(effective, RequestRules.Order(given, violations));
        Assert.Empty(violations.Items);
    }

    [Fact]
    public void Unknown_enum_numbers_are_rejected()
    {
        var violations = new FieldViolations();

        RequestRules.Basis((Basis)3, violations);
        RequestRules.Order((OrderBy)(-1), violations);

        Assert.Equal(new[] { "basis INVALID_ENUM", "order_by INVALID_ENUM" }, Proto.Keys(violations));
    }

    [Fact]
    public void Both_months_can_be_required()
    {
        var violations = new FieldViolations();

        RequestRules.RequireBothMonths(null, null, violations);

        Assert.Equal(new[] { "first_month REQUIRED", "last_month REQUIRED" }, Proto.Keys(violations));
    }
}
