using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Input;
using EnergyTrade.Trade.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// A revision report: each month's barrels before and after with the change, the range's sums below,
/// then the shipment versions that made the difference, oldest first.
/// </summary>
public static class RevisionReportView
{
    public static IRenderable Render(RevisionReport report)
    {
        var (country, partner) = (report.Country, report.Partner);
        var (since, until) = (Instants.Format(report.Since), Instants.Format(report.Until));
        var period = MonthRangeInput.Describe(ProtoValues.Format(report.FirstMonth), ProtoValues.Format(report.LastMonth));
        var parts = new List<IRenderable>
        {
            new Text($"{country}–{partner} revisions, {period}, {BasisInput.Text(report.Basis)}{(report.PeriodBasis == PeriodBasis.Delivery ? ", by month of delivery" : "")}: " +
                $"since {since} until {until}; exports {country} → {partner}, imports {partner} → {country}", new Style(decoration: Decoration.Bold)),
        };

        var months = Cells.NumbersTable("Month", "Exports before", "Exports after", "Change", "Imports before", "Imports after", "Change");
        foreach (var month in report.Months)
        {
            months.AddRow(Cells.Of(Row(ProtoValues.Format(month.Month), month.Exports, month.Imports)));
        }
        // The range's figures as the service summed them, not re-added here: they are the report's own.
        var footer = Row("Total", report.Exports, report.Imports);
        for (var i = 0; i < footer.Length; i++) months.Columns[i].Footer = new Text(footer[i]);
        months.ShowFooters = true;
        parts.Add(months);

        if (report.TotalChangeCount == 0)
        {
            parts.Add(new Text($"No shipment version that counts here was recorded since {since} until {until}.", new Style(Color.Grey)));
            return new Rows(parts);
        }
        parts.Add(Changes(report, since));
        parts.Add(new Text("Barrels only; --output json has the shipments, tonnes and value of each too.", new Style(Color.Grey)));
        return new Rows(parts);
    }

    private static string[] Row(string label, RevisedFlow? exports, RevisedFlow? imports) =>
    [
        label,
        Numbers.Barrels(exports?.Before?.Barrels), Numbers.Barrels(exports?.After?.Barrels), Numbers.Change(ProtoValues.ToDecimal(exports?.Change?.Barrels), Numbers.Barrels),
        Numbers.Barrels(imports?.Before?.Barrels), Numbers.Barrels(imports?.After?.Barrels), Numbers.Change(ProtoValues.ToDecimal(imports?.Change?.Barrels), Numbers.Barrels),
    ];

    private static Table Changes(RevisionReport report, string since)
    {
        // Exports and imports apart: a version that swaps the two countries moves both, and their sum would hide it.
        var table = Cells.NumbersTable("Recorded", "Shipment", "Version", "Kind", "Before", "After", "Exports change", "Imports change");
        table.Columns[1].Alignment = Justify.Left;
        table.Columns[3].Alignment = Justify.Left;
        foreach (var change in report.Changes)
        {
            table.AddRow(Cells.Of(Instants.Format(change.UpdateTime), change.Shipment, Numbers.Count(change.Version), Kind(change.Kind),
                Figures(change.Before, report.PeriodBasis), Figures(change.After, report.PeriodBasis),
                Numbers.Change(ProtoValues.ToDecimal(change.Exports?.Barrels), Numbers.Barrels),
                Numbers.Change(ProtoValues.ToDecimal(change.Imports?.Barrels), Numbers.Barrels)));
        }
        table.Title = new TableTitle($"Shipment versions recorded since {since} ({Numbers.Count(report.Changes.Count)} of {Numbers.Count(report.TotalChangeCount)})");
        return table;
    }

    /// <summary>The month a version counts in on the report's month basis, and its barrels; "—" when it did not count (created, or cancelled).</summary>
    private static string Figures(ShipmentFigures? figures, PeriodBasis basis)
    {
        if (figures is null) return "—";
        var month = basis == PeriodBasis.Delivery
            ? figures.DeliveryMonth is { } delivered ? ProtoValues.Format(delivered) : "no delivery date"
            : ProtoValues.Format(figures.Month);
        return $"{month}, {Numbers.Barrels(figures.Barrels)}";
    }

    private static string Kind(RevisedShipment.Types.Kind kind) => kind switch
    {
        RevisedShipment.Types.Kind.Created => "created",
        RevisedShipment.Types.Kind.Amended => "amended",
        RevisedShipment.Types.Kind.Cancelled => "cancelled",
        _ => "",
    };
}
