using EnergyTrade.Cli.Csv;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// trade series as CSV: a row per month (or quarter, or year), as the table has, ready to chart: the
/// entry's first and last month, each flow's figures under exports_ and imports_, turnover and balance.
/// A grouped series is <see cref="SeriesGroupsCsv"/>'s instead.
/// </summary>
public static class SeriesCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "month", "last_month",
        .. FlowCsv.Columns.Select(c => $"{FlowCsv.Exports}_{c}"),
        .. FlowCsv.Columns.Select(c => $"{FlowCsv.Imports}_{c}"),
        "turnover_usd", "balance_usd",
    ];

    public static void Write(TextWriter output, TradeSeries series)
    {
        using var csv = new CsvTable(output, Columns);
        foreach (var entry in series.Months)
        {
            csv.Row([.. Period(entry), .. FlowCsv.Fields(entry.Exports), .. FlowCsv.Fields(entry.Imports), CsvFields.Usd(entry.Turnover), CsvFields.Usd(entry.Balance)]);
        }
    }

    /// <summary>month and last_month: the same month unless the entry is a quarter or a year.</summary>
    public static string[] Period(MonthlyTotals entry) => [CsvFields.Date(entry.Month), CsvFields.Date(entry.LastMonth ?? entry.Month)];
}
