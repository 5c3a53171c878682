using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Input;
using EnergyTrade.Trade.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>A trade series as one row per month, and the sums of the range below.</summary>
public static class SeriesView
{
    public static IRenderable Render(TradeSeries series)
    {
        var (country, partner) = (series.Country, series.Partner);
        var period = series.Months.Count == 0
            ? "no months"
            : MonthRangeInput.Describe(ProtoValues.Format(series.Months[0].Month), ProtoValues.Format(series.Months[^1].LastMonth ?? series.Months[^1].Month));
        var size = series.Granularity switch { Granularity.Quarter => "quarter", Granularity.Year => "year", _ => "month" };
        var title = new Text($"{country}–{partner} trade by {size}, {period}{Instants.AsOf(series.AsOf)}, {BasisInput.Text(series.Basis)}; " +
            $"exports {country} → {partner}, imports {partner} → {country}", new Style(decoration: Decoration.Bold));

        var table = Cells.NumbersTable(char.ToUpperInvariant(size[0]) + size[1..], "Exports barrels", "Exports value", "Imports barrels", "Imports value", "Turnover", "Balance");
        foreach (var month in series.Months)
        {
            table.AddRow(Cells.Of(Row(GranularityInput.Label(month, series.Granularity), Figures.Of(month))));
        }
        // The range's sums, added up here exactly as the service sent each month.
        var total = series.Months.Select(Figures.Of).Aggregate(Figures.Zero, (sum, month) => sum + month);
        var footer = Row("Total", total);
        for (var i = 0; i < footer.Length; i++) table.Columns[i].Footer = new Text(footer[i]);
        table.ShowFooters = true;
        return new Rows(title, table);
    }

    private static string[] Row(string label, Figures f) =>
        [label, Numbers.Barrels(f.ExportBarrels), Numbers.Usd(f.ExportValue), Numbers.Barrels(f.ImportBarrels), Numbers.Usd(f.ImportValue),
            Numbers.Usd(f.Turnover), Numbers.Usd(f.Balance)];

    private sealed record Figures(decimal ExportBarrels, decimal ExportValue, decimal ImportBarrels, decimal ImportValue, decimal Turnover, decimal Balance)
    {
        public static readonly Figures Zero = new(0, 0, 0, 0, 0, 0);

        public static Figures Of(MonthlyTotals m) => new(
            ProtoValues.ToDecimal(m.Exports?.Barrels), ProtoValues.ToDecimal(m.Exports?.Value),
            ProtoValues.ToDecimal(m.Imports?.Barrels), ProtoValues.ToDecimal(m.Imports?.Value),
            ProtoValues.ToDecimal(m.Turnover), ProtoValues.ToDecimal(m.Balance));

        public static Figures operator +(Figures a, Figures b) => new(
            a.ExportBarrels + b.ExportBarrels, a.ExportValue + b.ExportValue, a.ImportBarrels + b.ImportBarrels, a.ImportValue + b.ImportValue,
            a.Turnover + b.Turnover, a.Balance + b.Balance);
    }
}
