using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>A range's totals against the same months a year earlier.</summary>
public static class Comparison
{
    public const int ShiftMonths = 12;

    public static PairQuery YearEarlier(PairQuery q) => q with
    {
        Range = new MonthRange(q.Range.First?.AddMonths(-ShiftMonths), q.Range.Last?.AddMonths(-ShiftMonths)),
    };

    public static V1.BilateralComparison Of(PairTotals current, PairTotals previous) => new()
    {
        Current = current.ToProto(),
        Previous = previous.ToProto(),
        TurnoverValue = Changes.Of(previous.ExportValue + previous.ImportValue, current.ExportValue + current.ImportValue),
        ExportsValue = Changes.Of(previous.ExportValue, current.ExportValue),
        ImportsValue = Changes.Of(previous.ImportValue, current.ImportValue),
        ExportsBarrels = Changes.Of(previous.ExportBarrels, current.ExportBarrels),
        ImportsBarrels = Changes.Of(previous.ImportBarrels, current.ImportBarrels),
        TurnoverBarrels = Changes.Of(previous.ExportBarrels + previous.ImportBarrels, current.ExportBarrels + current.ImportBarrels),
    };
}
