using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using V1 = EnergyTrade.Trade.V1;
using OrderBy = EnergyTrade.Trade.V1.ListPartnersRequest.Types.OrderBy;
using ApiTypes = EnergyTrade.Types.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>The checks every TradeService request shares; each adds to the caller's violations so all are reported at once.</summary>
public static class RequestRules
{
    public static PairQuery Pair(string country, string partner, Google.Type.Date? firstMonth, Google.Type.Date? lastMonth,
        ApiTypes.Basis basis, FieldViolations violations)
    {
        Country(country, "country", violations);
        Country(partner, "partner", violations);
        if (country.Length > 0 && country == partner) violations.Add("partner", "must differ from country.", "SAME_COUNTRY");
        var range = MonthRange.Parse(firstMonth, lastMonth, "first_month", "last_month", violations);
        return new PairQuery(country, partner, range, Basis(basis, violations));
    }

    public static void Country(string code, string field, FieldViolations violations)
    {
        if (code.Length == 0) violations.Add(field, "is required: an ISO 3166-1 alpha-2 code such as AZ.", "REQUIRED");
        else if (!CountryCodes.IsAssigned(code)) violations.Add(field, $"'{(code.Length > 16 ? code[..16] + "…" : code)}' is not an officially assigned ISO 3166-1 alpha-2 code.", "UNKNOWN_COUNTRY");
    }

    /// <summary>UNSPECIFIED is COMMERCIAL; a number the proto does not define is an error, not a silent default.</summary>
    public static ApiTypes.Basis Basis(ApiTypes.Basis basis, FieldViolations violations)
    {
        if (!Enum.IsDefined(basis))
        {
            violations.Add("basis", $"{(int)basis} is not a Basis: use BASIS_COMMERCIAL or BASIS_ORIGIN.", "INVALID_ENUM");
            return ApiTypes.Basis.Commercial;
        }
        return basis == ApiTypes.Basis.Unspecified ? ApiTypes.Basis.Commercial : basis;
    }

    /// <summary>UNSPECIFIED is TURNOVER_VALUE.</summary>
    public static OrderBy Order(OrderBy orderBy, FieldViolations violations)
    {
        if (!Enum.IsDefined(orderBy))
        {
            violations.Add("order_by", $"{(int)orderBy} is not an OrderBy: use ORDER_BY_TURNOVER_VALUE or ORDER_BY_BARRELS.", "INVALID_ENUM");
            return OrderBy.TurnoverValue;
        }
        return orderBy == OrderBy.Unspecified ? OrderBy.TurnoverValue : orderBy;
    }

    /// <summary>UNSPECIFIED is MONTH.</summary>
    public static V1.Granularity Granularity(V1.Granularity granularity, FieldViolations violations)
    {
        if (!Enum.IsDefined(granularity))
        {
            violations.Add("granularity", $"{(int)granularity} is not a Granularity: use GRANULARITY_MONTH, GRANULARITY_QUARTER or GRANULARITY_YEAR.", "INVALID_ENUM");
            return V1.Granularity.Month;
        }
        return granularity == V1.Granularity.Unspecified ? V1.Granularity.Month : granularity;
    }

    /// <summary>For methods whose answer has a size per month or needs a definite range to shift.</summary>
    public static void RequireBothMonths(Google.Type.Date? firstMonth, Google.Type.Date? lastMonth, FieldViolations violations)
    {
        RequireMonth(firstMonth, "first_month", violations);
        RequireMonth(lastMonth, "last_month", violations);
    }

    /// <summary>
    /// The first month a comparison covers: first_month, or with year_to_date January of last_month's
    /// year (null when last_month is unreadable, which Pair reports).
    /// </summary>
    public static Google.Type.Date? ComparisonStart(V1.CompareBilateralTotalsRequest request, FieldViolations violations)
    {
        if (!request.YearToDate) return request.FirstMonth;
        if (request.FirstMonth is not null)
        {
            violations.Add("first_month", "must be unset with year_to_date: the range starts in January of last_month's year.", "CONFLICTING_FIELDS");
        }
        return request.LastMonth is not null && ProtoConvert.TryGetMonth(request.LastMonth, out var last)
            ? ProtoConvert.ToProtoMonth(new DateOnly(last.Year, 1, 1))
            : null;
    }

    public static void RequireMonth(Google.Type.Date? month, string field, FieldViolations violations)
    {
        if (month is null) violations.Add(field, "is required: a month as a Date with day 0.", "REQUIRED");
    }
}
