using EnergyTrade.Client;
using EnergyTrade.Trade.V1;
using EnergyTrade.Web.Api;

namespace EnergyTrade.Web.Pairs;

/// <summary>A pair, a range of months and the analyst's filters, as the page asks for them.</summary>
public sealed record PairQuery(string Country, string Partner, DateOnly From, DateOnly To, string Shipper, string Buyer, string Grade, PeriodBasis Period)
{
    public static PairQuery Read(IQueryCollection query)
    {
        var from = query.Month("from");
        var to = query.Month("to");
        if (to < from) throw new BadQueryException("'to' is before 'from'.");
        var period = query.Optional("period").ToLowerInvariant() switch
        {
            "" or "loading" => PeriodBasis.Loading,
            "delivery" => PeriodBasis.Delivery,
            _ => throw new BadQueryException("'period' is loading or delivery."),
        };
        return new PairQuery(query.Code("country"), query.Code("partner"), from, to,
            query.Optional("shipper"), query.Optional("buyer"), query.Optional("grade"), period);
    }

    /// <summary>The same months a year earlier.</summary>
    public PairQuery YearEarlier() => this with { From = From.AddYears(-1), To = To.AddYears(-1) };

    public GetTradeSeriesRequest Series() => new()
    {
        Country = Country, Partner = Partner, FirstMonth = ProtoValues.Month(From), LastMonth = ProtoValues.Month(To),
        Shipper = Shipper, Buyer = Buyer, Grade = Grade, PeriodBasis = Period,
    };

    public CompareBilateralTotalsRequest Comparison() => new()
    {
        Country = Country, Partner = Partner, FirstMonth = ProtoValues.Month(From), LastMonth = ProtoValues.Month(To),
        Shipper = Shipper, Buyer = Buyer, Grade = Grade, PeriodBasis = Period,
    };

    public GetBilateralTotalsRequest Totals() => new()
    {
        Country = Country, Partner = Partner, FirstMonth = ProtoValues.Month(From), LastMonth = ProtoValues.Month(To),
        Shipper = Shipper, Buyer = Buyer, Grade = Grade, PeriodBasis = Period,
    };

    public int Days => To.AddMonths(1).DayNumber - From.DayNumber;
}
