using Google.Protobuf.Collections;

namespace EnergyTrade.Trade.V1;

/// <summary>The month basis, filters and grouping that GetBilateralTotals, GetTradeSeries and CompareBilateralTotals share, so a client fills them once.</summary>
public interface ISlicedRequest
{
    PeriodBasis PeriodBasis { get; set; }
    string Shipper { get; set; }
    string Buyer { get; set; }
    string Grade { get; set; }
    string LoadPort { get; set; }
    string DischargePort { get; set; }
    RepeatedField<Dimension> GroupBy { get; }
}

public sealed partial class GetBilateralTotalsRequest : ISlicedRequest;

public sealed partial class GetTradeSeriesRequest : ISlicedRequest;

public sealed partial class CompareBilateralTotalsRequest : ISlicedRequest;
