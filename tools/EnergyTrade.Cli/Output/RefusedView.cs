using System.Globalization;
using EnergyTrade.Trade.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>Refused shipment events, newest first, with what to do about them.</summary>
public static class RefusedView
{
    public static IRenderable Render(IReadOnlyList<RefusedEvent> refused)
    {
        var table = new Table().AddColumns("Refused at", "Message", "Shipment", "Flow", "Month", "Barrels", "Reason");
        foreach (var r in refused)
        {
            table.AddRow(Cells.Of(
                r.RefuseTime.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                r.MessageId,
                r.Shipment.Length > 0 ? $"{r.Shipment} v{r.Version}" : "(unreadable message)",
                r.ExporterCountry.Length > 0 ? $"{r.ExporterCountry} → {r.ImporterCountry} ({r.OriginCountry} oil)" : "",
                r.Month is null ? "" : $"{r.Month.Year:D4}-{r.Month.Month:D2}",
                r.Barrels is null ? "" : Numbers.Barrels(decimal.Parse(r.Barrels.Value, CultureInfo.InvariantCulture)),
                r.Reason));
        }
        return new Rows(
            new Text($"Trade has refused {Numbers.Count(refused.Count)} shipment event(s); they are not in its totals.{Environment.NewLine}", new Style(decoration: Decoration.Bold)),
            table,
            new Text($"Fix the cause (or correct the shipment: a newer version replaces a refused one), then re-drive the _error queue with scripts/redrive-errors.sh; see docs/reliability.md.{Environment.NewLine}", new Style(Color.Grey)));
    }
}
