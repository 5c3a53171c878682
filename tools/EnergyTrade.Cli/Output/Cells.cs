using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>Plain-text cells: grades, ports and messages come from users and may contain '[', which markup would eat.</summary>
public static class Cells
{
    public static IRenderable[] Of(params string[] texts) => [.. texts.Select(t => new Text(t))];

    public static Table NumbersTable(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        for (var i = 0; i < headers.Length; i++)
        {
            // The first column names the row; the others are figures, right-aligned so the digits line up.
            table.AddColumn(new TableColumn(new Text(headers[i])) { Alignment = i == 0 ? Justify.Left : Justify.Right });
        }
        return table;
    }
}
