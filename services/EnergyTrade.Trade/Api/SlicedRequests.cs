using Google.Protobuf.Collections;

namespace EnergyTrade.Trade.V1;

/// <summary>The month basis and name filters that every pair request shares, GetRevisionReport included.</summary>
public interface IFilteredRequest
{
    PeriodBasis PeriodBasis { get; }
    string Shipper { get; }
    string Buyer { get; }
    string Grade { get; }
    string LoadPort { get; }
    string DischargePort { get; }
}

/// <summary>Filters, grouping and an as-of instant: what GetBilateralTotals, GetTradeSeries and CompareBilateralTotals share.</summary>
public interface ISlicedRequest : IFilteredRequest
{
    RepeatedField<Dimension> GroupBy { get; }
    Google.Protobuf.WellKnownTypes.Timestamp? AsOf { get; }
}

public sealed partial class GetBilateralTotalsRequest : ISlicedRequest;

public sealed partial class GetTradeSeriesRequest : ISlicedRequest;

public sealed partial class CompareBilateralTotalsRequest : ISlicedRequest;

public sealed partial class GetRevisionReportRequest : IFilteredRequest;
