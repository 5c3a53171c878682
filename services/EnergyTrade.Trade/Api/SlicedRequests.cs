using Google.Protobuf.Collections;

namespace EnergyTrade.Trade.V1;

/// <summary>The month basis, filters and grouping that GetBilateralTotals, GetTradeSeries and CompareBilateralTotals share.</summary>
public interface ISlicedRequest
{
    PeriodBasis PeriodBasis { get; }
    string Shipper { get; }
    string Buyer { get; }
    string Grade { get; }
    string LoadPort { get; }
    string DischargePort { get; }
    RepeatedField<Dimension> GroupBy { get; }
}

public sealed partial class GetBilateralTotalsRequest : ISlicedRequest;

public sealed partial class GetTradeSeriesRequest : ISlicedRequest;

public sealed partial class CompareBilateralTotalsRequest : ISlicedRequest;
