using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Partners;
using V1 = EnergyTrade.Trade.V1;
using OrderBy = EnergyTrade.Trade.V1.ListPartnersRequest.Types.OrderBy;
using ApiTypes = EnergyTrade.Types.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>The checks every TradeService request shares; each adds to the caller's violations so all are reported at once.</summary>
public static class RequestRules
{
    /// <summary>The pair, range and basis; then, for the requests that have them, <see cref="Sliced"/> adds the rest.</summary>
    public static PairQuery Pair(string country, string partner, Google.Type.Date? firstMonth, Google.Type.Date? lastMonth,
        ApiTypes.Basis basis, PartnerGroups groups, FieldViolations violations)
    {
        Country(country, "country", violations);
        if (!groups.TryGet(partner, out var members))
        {
            // The hint is spelled out only for a code that is wrong, not on every request.
            Country(partner, "partner", violations,
                CountryCodes.IsAssigned(partner) ? "" : $" Use WORLD for every partner, or a group: {string.Join(", ", groups.All.Select(g => g.Code))}.");
        }
        if (country.Length > 0 && country == partner) violations.Add("partner", "must differ from country.", "SAME_COUNTRY");
        var range = MonthRange.Parse(firstMonth, lastMonth, "first_month", "last_month", violations);
        return new PairQuery(country, partner, range, Basis(basis, violations)) { Partners = members };
    }

    /// <summary>The month basis, the name filters (by their case-insensitive keys), and where the request has them the grouping and as-of instant.</summary>
    public static PairQuery Sliced(PairQuery q, V1.IFilteredRequest request, FieldViolations violations)
    {
        var period = request.PeriodBasis;
        if (!Enum.IsDefined(period))
        {
            violations.Add("period_basis", $"{(int)period} is not a PeriodBasis: use PERIOD_BASIS_LOADING or PERIOD_BASIS_DELIVERY.", "INVALID_ENUM");
        }
        var groupBy = new List<V1.Dimension>();
        foreach (var dimension in (request as V1.ISlicedRequest)?.GroupBy ?? [])
        {
            if (dimension == V1.Dimension.Unspecified || !Enum.IsDefined(dimension))
            {
                violations.Add("group_by", $"{(int)dimension} is not a Dimension: use DIMENSION_ORIGIN, DIMENSION_SHIPPER, DIMENSION_BUYER, DIMENSION_GRADE, DIMENSION_LOAD_PORT or DIMENSION_DISCHARGE_PORT.", "INVALID_ENUM");
            }
            else if (groupBy.Contains(dimension)) violations.Add("group_by", $"names {dimension} more than once.", "DUPLICATE_DIMENSION");
            else groupBy.Add(dimension);
        }
        return q with
        {
            Period = period == V1.PeriodBasis.Delivery ? V1.PeriodBasis.Delivery : V1.PeriodBasis.Loading,
            Slice = new TotalsSlice(
                Filter(request.Shipper, V1.Dimension.Shipper, violations), Filter(request.Buyer, V1.Dimension.Buyer, violations),
                Filter(request.Grade, V1.Dimension.Grade, violations), Filter(request.LoadPort, V1.Dimension.LoadPort, violations),
                Filter(request.DischargePort, V1.Dimension.DischargePort, violations), new GroupBy([.. groupBy])),
            AsOf = Instant((request as V1.ISlicedRequest)?.AsOf, "as_of", violations),
        };
    }

    /// <summary>
    /// A timestamp field as an instant; null when unset. Any valid timestamp is accepted: before the
    /// first version it answers nothing, in the future everything recorded so far (docs/revisions.md).
    /// </summary>
    public static DateTimeOffset? Instant(Google.Protobuf.WellKnownTypes.Timestamp? timestamp, string field, FieldViolations violations)
    {
        if (timestamp is null) return null;
        try
        {
            return timestamp.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            violations.Add(field, "must be a valid Timestamp: from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, nanos from 0 to 999,999,999.", "INVALID_TIMESTAMP");
            return null;
        }
    }

    /// <summary>A name filter's key; null when the filter is empty (or only white space): no filter.</summary>
    private static string? Filter(string value, V1.Dimension dimension, FieldViolations violations)
    {
        var field = Dimensions.Field(dimension);
        if (ShipmentRules.HasControlCharacters(value))
        {
            violations.Add(field, "must not contain control characters.", "INVALID_CHARACTERS");
            return null;
        }
        var key = Names.Key(value);
        if (key.Length > Limits.NameLength) violations.Add(field, $"is longer than {Limits.NameLength} characters: no name is.", "TOO_LONG");
        return key.Length == 0 ? null : key;
    }

    public static void Country(string code, string field, FieldViolations violations, string hint = "")
    {
        if (code.Length == 0) violations.Add(field, $"is required: an ISO 3166-1 alpha-2 code such as AZ.{hint}", "REQUIRED");
        else if (!CountryCodes.IsAssigned(code)) violations.Add(field, $"'{(code.Length > 16 ? code[..16] + "…" : code)}' is not an officially assigned ISO 3166-1 alpha-2 code.{hint}", "UNKNOWN_COUNTRY");
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

    /// <summary>For methods that answer month by month: both ends required, at most <see cref="MonthlySeries.MaxMonths"/> months.</summary>
    public static void MonthByMonth(Google.Type.Date? firstMonth, Google.Type.Date? lastMonth, MonthRange range, FieldViolations violations)
    {
        RequireBothMonths(firstMonth, lastMonth, violations);
        if (range is { First: { } f, Last: { } l } && f <= l && MonthlySeries.MonthCount(f, l) > MonthlySeries.MaxMonths)
        {
            violations.Add("last_month", $"is {MonthlySeries.MonthCount(f, l)} months from first_month inclusive; a series holds at most {MonthlySeries.MaxMonths}.", "RANGE_TOO_LONG");
        }
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
