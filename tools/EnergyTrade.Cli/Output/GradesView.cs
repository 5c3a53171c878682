using EnergyTrade.Cli.Grpc;
using EnergyTrade.Shipments.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>The grade catalogue as a table: what a shipment's grade may say, and the factor it then converts at.</summary>
public static class GradesView
{
    public static IRenderable Render(IReadOnlyCollection<Grade> grades)
    {
        if (grades.Count == 0) return new Text($"Shipments knows no grades: every quantity without a factor converts at 7.33 bbl/t.{Environment.NewLine}");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("Grade").NoWrap());
        table.AddColumn("Aliases");
        table.AddColumn("Origin");
        table.AddColumn(new TableColumn("API") { Alignment = Justify.Right }.NoWrap());
        table.AddColumn(new TableColumn("bbl/t") { Alignment = Justify.Right }.NoWrap());
        foreach (var g in grades)
        {
            table.AddRow(Cells.Of(g.Name, string.Join(", ", g.Aliases), g.TypicalOriginCountry,
                Numbers.Group(ProtoValues.ToDecimal(g.ApiGravity), minimumDecimals: 1), Numbers.Group(ProtoValues.ToDecimal(g.BarrelsPerTonne), minimumDecimals: 2)));
        }
        return new Rows(
            table,
            new Text($"{Numbers.Count(grades.Count)} grades. A shipment of one of them without --barrels-per-tonne converts at its bbl/t; any other grade at 7.33."),
            new Text($"API gravities are typical figures from public assays (--output json names each source); bbl/t is derived from them.{Environment.NewLine}", new Style(Color.Grey)));
    }
}
