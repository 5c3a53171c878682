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

    public static V1.TradeSeries Build(PairQuery q, DateOnly first, DateOnly last, IEnumerable<MonthlyFlowSums> sums,
        V1.Granularity granularity = V1.Granularity.Month)
    {
        var byMonth = sums.ToLookup(s => s.Month);
        var series = new V1.TradeSeries { Country = q.Country, Partner = q.Partner, Basis = q.Basis, Granularity = granularity, PeriodBasis = q.Period };
        if (q.AsOf is { } asOf) series.AsOf = ProtoConvert.ToTimestamp(asOf);
        var grouped = !q.Slice.GroupBy.IsEmpty;
        foreach (var (start, end) in Buckets(first, last, granularity))
        {
            var months = MonthCount(start, end);
            var inBucket = Enumerable.Range(0, months).SelectMany(i => byMonth[start.AddMonths(i)]).Select(m => m.Sums).ToList();
            var totals = new PairTotals(q with { Range = new MonthRange(start, end) }, inBucket);
            series.Months.Add(new V1.MonthlyTotals
            {
                Month = ProtoConvert.ToProtoMonth(start),
                LastMonth = ProtoConvert.ToProtoMonth(end),
                Exports = FlowSums.ToFlow(totals.Exports, MonthRange.DaysBetween(start, end), grouped),
                Imports = FlowSums.ToFlow(totals.Imports, MonthRange.DaysBetween(start, end), grouped),
                Turnover = ProtoConvert.ToProtoMoney(totals.ExportValue + totals.ImportValue),
                Balance = ProtoConvert.ToProtoMoney(totals.ExportValue - totals.ImportValue),
            });
        }
        return series;
    }

    /// <summary>
    /// The calendar months, quarters or years from first to last, each clipped to the range, so the
    /// entries add up to the range exactly: Jan–Apr by quarter is Jan–Mar, then April.
    /// </summary>
    public static IReadOnlyList<(DateOnly First, DateOnly Last)> Buckets(DateOnly first, DateOnly last, V1.Granularity granularity)
    {
        var size = granularity switch
        {
            V1.Granularity.Quarter => 3,
            V1.Granularity.Year => 12,
            _ => 1,
        };
        var buckets = new List<(DateOnly, DateOnly)>();
        // Counted rather than compared with last: AddMonths past December 9999 would throw.
        var remaining = MonthCount(first, last);
        var start = first;
        while (remaining > 0)
        {
            // Months left in start's calendar bucket, start's own month included.
            var months = Math.Min(size - (start.Month - 1) % size, remaining);
            var end = start.AddMonths(months - 1);
            buckets.Add((start, end));
            remaining -= months;
            if (remaining > 0) start = end.AddMonths(1);
        }
        return buckets;
    }
}
