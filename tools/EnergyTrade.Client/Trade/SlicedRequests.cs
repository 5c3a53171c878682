using Google.Protobuf.Collections;

namespace EnergyTrade.Trade.V1;

/// <summary>The month basis and name filters that every pair request shares, GetRevisionReport included, so a client fills them once.</summary>
public interface IFilteredRequest
{
    PeriodBasis PeriodBasis { get; set; }
    string Shipper { get; set; }
    string Buyer { get; set; }
    string Grade { get; set; }
    string LoadPort { get; set; }
    string DischargePort { get; set; }
}

/// <summary>Filters, grouping and an as-of instant: what GetBilateralTotals, GetTradeSeries and CompareBilateralTotals share.</summary>
public interface ISlicedRequest : IFilteredRequest
{
    RepeatedField<Dimension> GroupBy { get; }
    /// <summary>Null: today's figures.</summary>
    Google.Protobuf.WellKnownTypes.Timestamp? AsOf { get; set; }
}

public sealed partial class GetBilateralTotalsRequest : ISlicedRequest;

public sealed partial class GetTradeSeriesRequest : ISlicedRequest;

public sealed partial class CompareBilateralTotalsRequest : ISlicedRequest;

public sealed partial class GetRevisionReportRequest : IFilteredRequest;
