using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Input;
using EnergyTrade.Trade.V1;
using Spectre.Console;
using Spectre.Console.Rendering;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Cli.Output;

/// <summary>Bilateral totals as tables: each direction, the split by origin of the oil, turnover and balance.</summary>
public static class TotalsView
{
    public static IRenderable Render(BilateralTotals totals)
    {
        var country = totals.Country;
        var partner = totals.Partner;
        var parts = new List<IRenderable>
        {
            new Text($"{country}–{partner} trade, {Period(totals)}{Instants.AsOf(totals.AsOf)}, {BasisText(totals.Basis)}{(totals.PeriodBasis == PeriodBasis.Delivery ? ", by month of delivery" : "")}",
                new Style(decoration: Decoration.Bold)),
        };

        var flows = Cells.NumbersTable("Flow", "Shipments", "Barrels", "Tonnes", "Value", "Valued shipments", "Rate", "Average price");
        flows.AddRow(Cells.Of(FlowRow($"Exports {country} → {partner}", totals.Exports)));
        flows.AddRow(Cells.Of(FlowRow($"Imports {partner} → {country}", totals.Imports)));
        if (totals.InTransit is { } transit)
        {
            flows.AddRow(Cells.Of(FlowRow($"In transit {country} → {partner} at the end", transit.Exports)));
            flows.AddRow(Cells.Of(FlowRow($"In transit {partner} → {country} at the end", transit.Imports)));
        }
        parts.Add(flows);

        AddGroups(parts, $"Exports {country} → {partner}", totals.Exports);
        AddGroups(parts, $"Imports {partner} → {country}", totals.Imports);

        AddOrigins(parts, $"Exports {country} → {partner}", country, totals.Exports);
        AddOrigins(parts, $"Imports {partner} → {country}", partner, totals.Imports);

        var money = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn(new GridColumn().NoWrap().RightAligned());
        money.AddRow(Cells.Of("Turnover (exports + imports)", Numbers.Usd(totals.Turnover)));
        money.AddRow(Cells.Of("Balance (exports − imports)", Numbers.Usd(totals.Balance)));
        parts.Add(money);

        var shipments = totals.Exports.ShipmentCount + totals.Imports.ShipmentCount;
        var unvalued = shipments - totals.Exports.ValuedShipmentCount - totals.Imports.ValuedShipmentCount;
        if (unvalued > 0)
        {
            // Otherwise a zero turnover reads as "no trade" when it means "no prices recorded".
            parts.Add(new Text($"Values cover only the shipments recorded with one: {Numbers.Count(unvalued)} of {Numbers.Count(shipments)} {(unvalued == 1 ? "has" : "have")} none.",
                new Style(Color.Grey)));
        }
        if (totals.UpdateTime is not null)
        {
            parts.Add(new Text($"Last change applied {ShipmentView.Timestamp(totals.UpdateTime)}.", new Style(Color.Grey)));
        }
        return new Rows(parts);
    }

    public static string[] FlowRow(string label, FlowTotals flow) =>
    [
        label,
        Numbers.Count(flow.ShipmentCount),
        Numbers.Barrels(flow.Barrels),
        Numbers.Tonnes(flow.Tonnes),
        Numbers.Usd(flow.Value),
        Numbers.Count(flow.ValuedShipmentCount),
        Numbers.KiloBarrelsPerDay(flow.BarrelsPerDay),
        Numbers.UsdPerBarrel(flow.AveragePricePerBarrel),
    ];

    /// <summary>A flow's groups (--group-by), largest first; an empty key is a value the shipments did not record.</summary>
    private static void AddGroups(List<IRenderable> parts, string flowLabel, FlowTotals flow)
    {
        if (flow.Groups.Count == 0) return;
        var table = Cells.NumbersTable("Group", "Shipments", "Barrels", "Tonnes", "Value", "Valued shipments", "Rate", "Average price");
        foreach (var group in flow.Groups)
        {
            table.AddRow(Cells.Of(FlowRow(string.Join(" · ", group.Keys.Select(k => k.Length == 0 ? "(not recorded)" : k)), group.Totals)));
        }
        table.Title = new TableTitle($"{flowLabel} by group");
        parts.Add(table);
    }

    private static void AddOrigins(List<IRenderable> parts, string flowLabel, string sellerCountry, FlowTotals flow)
    {
        if (flow.ByOrigin.Count == 0) return;
        var table = Cells.NumbersTable("Origin of the oil", "Shipments", "Barrels", "Tonnes", "Value");
        foreach (var origin in flow.ByOrigin)
        {
            table.AddRow(Cells.Of(origin.Undisclosed ? "(not disclosed)" : origin.OriginCountry, Numbers.Count(origin.ShipmentCount), Numbers.Barrels(origin.Barrels),
                Numbers.Tonnes(origin.Tonnes), Numbers.Usd(origin.Value)));
        }
        table.Title = new TableTitle($"{flowLabel} by origin");
        parts.Add(table);

        // The seed article's split: oil produced in the seller's own country versus oil it resold.
        var own = flow.ByOrigin.Where(o => o.OriginCountry == sellerCountry).Sum(o => ProtoValues.ToDecimal(o.Barrels));
        var other = flow.ByOrigin.Where(o => o.OriginCountry != sellerCountry).Sum(o => ProtoValues.ToDecimal(o.Barrels));
        if (own > 0 && other > 0)
        {
            parts.Add(new Text($"{flowLabel}: {Numbers.Barrels(own)} produced in {sellerCountry}, {Numbers.Barrels(other)} produced elsewhere."));
        }
    }

    public static string Period(BilateralTotals totals) => MonthRangeInput.Describe(ProtoValues.Format(totals.FirstMonth), ProtoValues.Format(totals.LastMonth));

    private static string BasisText(Basis basis) => BasisInput.Text(basis);
}
