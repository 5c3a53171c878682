using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using Spectre.Console.Rendering;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Cli.Output;

/// <summary>A country's partners, one per line in rank order: value each way, turnover, balance and barrels.</summary>
public static class PartnersView
{
    /// <param name="asOf">The instant the figures are as of; null for today's.</param>
    public static IRenderable Render(string country, string period, Timestamp? asOf, Basis basis, ListPartnersRequest.Types.OrderBy order,
        IReadOnlyCollection<PartnerTotals> partners)
    {
        var ranking = order == ListPartnersRequest.Types.OrderBy.Barrels ? "by barrels" : "by turnover value";
        var parts = new List<IRenderable>
        {
            new Text($"{country}'s trade partners {ranking}, {period}{Instants.AsOf(asOf)}, {Input.BasisInput.Text(basis)}", new Style(decoration: Decoration.Bold)),
        };
        var table = Cells.NumbersTable("Rank", "Partner", $"Exports from {country}", $"Imports to {country}", "Turnover", "Balance", "Barrels (both ways)");
        table.Columns[0].Alignment = Justify.Right;
        table.Columns[1].Alignment = Justify.Left;
        foreach (var p in partners)
        {
            table.AddRow(Cells.Of(Numbers.Count(p.Rank), p.Partner, Numbers.Usd(p.Exports?.Value), Numbers.Usd(p.Imports?.Value),
                Numbers.Usd(p.Turnover), Numbers.Usd(p.Balance), Numbers.Barrels(p.TurnoverBarrels)));
        }
        parts.Add(table);

        var shipments = partners.Sum(p => (p.Exports?.ShipmentCount ?? 0) + (p.Imports?.ShipmentCount ?? 0));
        var valued = partners.Sum(p => (p.Exports?.ValuedShipmentCount ?? 0) + (p.Imports?.ValuedShipmentCount ?? 0));
        if (shipments > valued)
        {
            // Otherwise a zero turnover reads as "no trade" when it means "no prices recorded".
            parts.Add(new Text($"Values cover only the shipments recorded with one: {Numbers.Count(shipments - valued)} of {Numbers.Count(shipments)} {(shipments - valued == 1 ? "has" : "have")} none.",
                new Style(Color.Grey)));
        }
        parts.Add(new Text(partners.Count == 1 ? "1 partner." : $"{Numbers.Count(partners.Count)} partners.", new Style(Color.Grey)));
        return new Rows(parts);
    }
}
