using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Input;
using EnergyTrade.Trade.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>A range against the same months a year earlier: each measure then and now, the change, and the change in percent.</summary>
public static class ComparisonView
{
    public const string NotApplicable = "n/a";

    public static IRenderable Render(BilateralComparison comparison)
    {
        var current = comparison.Current ?? new BilateralTotals();
        var previous = comparison.Previous ?? new BilateralTotals();
        var (country, partner) = (current.Country, current.Partner);
        var now = TotalsView.Period(current);
        var then = TotalsView.Period(previous);
        var parts = new List<IRenderable>
        {
            new Text($"{country}–{partner} trade, {now} against {then}{Instants.AsOf(current.AsOf)}, {BasisInput.Text(current.Basis)}", new Style(decoration: Decoration.Bold)),
        };

        var table = Cells.NumbersTable("Measure", then, now, "Change", "Change %");
        void Row(string label, Change? change, Func<decimal, string> format)
        {
            change ??= new Change();
            table.AddRow(Cells.Of(label, format(ProtoValues.ToDecimal(change.Previous)), format(ProtoValues.ToDecimal(change.Current)),
                Numbers.Change(ProtoValues.ToDecimal(change.Absolute), format), Percent(change)));
        }
        Row($"Exports {country} → {partner}, value", comparison.ExportsValue, Numbers.Usd);
        Row($"Imports {partner} → {country}, value", comparison.ImportsValue, Numbers.Usd);
        Row("Turnover, value", comparison.TurnoverValue, Numbers.Usd);
        Row($"Exports {country} → {partner}, barrels", comparison.ExportsBarrels, Numbers.Barrels);
        Row($"Imports {partner} → {country}, barrels", comparison.ImportsBarrels, Numbers.Barrels);
        Row("Turnover, barrels", comparison.TurnoverBarrels, Numbers.Barrels);
        parts.Add(table);

        var changes = new[] { comparison.ExportsValue, comparison.ImportsValue, comparison.TurnoverValue, comparison.ExportsBarrels, comparison.ImportsBarrels, comparison.TurnoverBarrels };
        if (changes.Any(c => Percent(c) == NotApplicable))
        {
            parts.Add(new Text($"{NotApplicable}: there is no percent change from zero.", new Style(Color.Grey)));
        }
        var shipments = current.Exports?.ShipmentCount + current.Imports?.ShipmentCount ?? 0;
        var earlier = previous.Exports?.ShipmentCount + previous.Imports?.ShipmentCount ?? 0;
        parts.Add(new Text($"Shipments: {Numbers.Count(earlier)} in {then}, {Numbers.Count(shipments)} in {now}.", new Style(Color.Grey)));
        return new Rows(parts);
    }

    /// <summary>Unset when the earlier figure is zero: a percent of nothing means nothing.</summary>
    private static string Percent(Change? change) =>
        change?.Percent is { Value.Length: > 0 } percent ? Numbers.Percent(ProtoValues.ToDecimal(percent)) : NotApplicable;
}
