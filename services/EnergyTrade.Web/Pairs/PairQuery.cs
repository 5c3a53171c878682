using EnergyTrade.Client;
using EnergyTrade.Trade.V1;
using EnergyTrade.Web.Api;

namespace EnergyTrade.Web.Pairs;

/// <summary>
/// A pair, a range of months, the analyst's filters, and what the bars are stacked by: the oil's origin (every
/// flow's by_origin), or one of Trade's other dimensions (its groups).
/// </summary>
public sealed record PairQuery(string Country, string Partner, DateOnly From, DateOnly To, string Shipper, string Buyer, string Grade, PeriodBasis Period,
    Dimension? StackBy = null)
{
    /// <summary>The page's names of the dimensions bars can be stacked by besides origin.</summary>
    public static readonly IReadOnlyDictionary<string, Dimension> Stacks = new Dictionary<string, Dimension>(StringComparer.OrdinalIgnoreCase)
    {
        ["shipper"] = Dimension.Shipper,
        ["buyer"] = Dimension.Buyer,
        ["grade"] = Dimension.Grade,
        ["loadPort"] = Dimension.LoadPort,
        ["dischargePort"] = Dimension.DischargePort,
    };

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
        var stack = query.Optional("stackBy");
        Dimension? stackBy = stack is "" or "origin" ? null
            : Stacks.TryGetValue(stack, out var dimension) ? dimension
            : throw new BadQueryException($"'stackBy' is origin or one of {string.Join(", ", Stacks.Keys)}.");
        return new PairQuery(query.Code("country"), query.Code("partner"), from, to,
            query.Optional("shipper"), query.Optional("buyer"), query.Optional("grade"), period, stackBy);
    }

    /// <summary>The stack's name as the page and the CSV header say it.</summary>
    public string StackName => StackBy is { } dimension ? Stacks.First(s => s.Value == dimension).Key : "origin";

    /// <summary>The same months a year earlier.</summary>
    public PairQuery YearEarlier() => this with { From = From.AddYears(-1), To = To.AddYears(-1) };

    public GetTradeSeriesRequest Series()
    {
        var request = new GetTradeSeriesRequest
        {
            Country = Country, Partner = Partner, FirstMonth = ProtoValues.Month(From), LastMonth = ProtoValues.Month(To),
            Shipper = Shipper, Buyer = Buyer, Grade = Grade, PeriodBasis = Period,
        };
        if (StackBy is { } dimension) request.GroupBy.Add(dimension);
        return request;
    }

    public CompareBilateralTotalsRequest Comparison()
    {
        var request = new CompareBilateralTotalsRequest
        {
            Country = Country, Partner = Partner, FirstMonth = ProtoValues.Month(From), LastMonth = ProtoValues.Month(To),
            Shipper = Shipper, Buyer = Buyer, Grade = Grade, PeriodBasis = Period,
        };
        if (StackBy is { } dimension) request.GroupBy.Add(dimension);
        return request;
    }

    public GetBilateralTotalsRequest Totals() => new()
    {
        Country = Country, Partner = Partner, FirstMonth = ProtoValues.Month(From), LastMonth = ProtoValues.Month(To),
        Shipper = Shipper, Buyer = Buyer, Grade = Grade, PeriodBasis = Period,
    };

    public int Days => To.AddMonths(1).DayNumber - From.DayNumber;
}
