using EnergyTrade.ServiceDefaults;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>Sums of one direction and origin within one month.</summary>
public sealed record MonthlyFlowSums(DateOnly Month, FlowSums Sums);

/// <summary>Turns the months that have rows into a series with every month of the range.</summary>
public static class MonthlySeries
{
    /// <summary>Fifty years: longer than any statistics anyone compares, short enough to answer in one message.</summary>
    public const int MaxMonths = 600;

    /// <summary>Months from first to last, both included.</summary>
    public static int MonthCount(DateOnly first, DateOnly last) =>
        (last.Year - first.Year) * 12 + last.Month - first.Month + 1;

    public static V1.TradeSeries Build(PairQuery q, DateOnly first, DateOnly last, IEnumerable<MonthlyFlowSums> sums)
    {
        var byMonth = sums.ToLookup(s => s.Month);
        var series = new V1.TradeSeries { Country = q.Country, Partner = q.Partner, Basis = q.Basis };
        // Counted rather than compared with last: AddMonths past December 9999 would throw.
        var count = MonthCount(first, last);
        for (var i = 0; i < count; i++)
        {
            var month = first.AddMonths(i);
            var totals = new PairTotals(q with { Range = new MonthRange(month, month) }, byMonth[month].Select(m => m.Sums).ToList());
            series.Months.Add(new V1.MonthlyTotals
            {
                Month = ProtoConvert.ToProtoMonth(month),
                Exports = FlowSums.ToFlow(totals.Exports),
                Imports = FlowSums.ToFlow(totals.Imports),
                Turnover = ProtoConvert.ToProtoMoney(totals.ExportValue + totals.ImportValue),
                Balance = ProtoConvert.ToProtoMoney(totals.ExportValue - totals.ImportValue),
            });
        }
        return series;
    }
}
