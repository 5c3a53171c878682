using EnergyTrade.Trade.Data;
using Microsoft.EntityFrameworkCore;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>A country's trade with each partner, both directions, grouped in SQL by partner, direction and origin.</summary>
public sealed class PartnersQuery(TradeDbContext db)
{
    public async Task<IReadOnlyList<PartnerFlowSums>> SumsAsync(string country, MonthRange range, V1.Basis basis, CancellationToken cancellationToken)
    {
        // Rows whose shipments were all cancelled would make a country nothing moved with a partner.
        var rows = db.Totals.AsNoTracking().Where(t => t.ShipmentCount != 0);
        if (range.First is { } first) rows = rows.Where(t => t.Month >= first);
        if (range.Last is { } last) rows = rows.Where(t => t.Month <= last);

        // The importer tells the direction on both bases; the seller's side is the exporter or the
        // country of production. Oil re-imported into its own country of production is no partner
        // trade on the origin basis.
        var flows = basis == V1.Basis.Origin
            ? rows.Where(t => (t.OriginCountry == country || t.ImporterCountry == country) && t.OriginCountry != t.ImporterCountry)
                .Select(t => new
                {
                    Partner = t.ImporterCountry == country ? t.OriginCountry : t.ImporterCountry, Importer = t.ImporterCountry, Origin = t.OriginCountry,
                    t.ShipmentCount, t.Barrels, t.Tonnes, t.ValueUsd, t.ValuedShipmentCount, t.UpdatedAt,
                })
            : rows.Where(t => t.ExporterCountry == country || t.ImporterCountry == country)
                .Select(t => new
                {
                    Partner = t.ImporterCountry == country ? t.ExporterCountry : t.ImporterCountry, Importer = t.ImporterCountry, Origin = t.OriginCountry,
                    t.ShipmentCount, t.Barrels, t.Tonnes, t.ValueUsd, t.ValuedShipmentCount, t.UpdatedAt,
                });

        var groups = await flows
            .GroupBy(f => new { f.Partner, f.Importer, f.Origin })
            .Select(g => new
            {
                g.Key.Partner, g.Key.Importer, g.Key.Origin,
                ShipmentCount = g.Sum(f => f.ShipmentCount), Barrels = g.Sum(f => f.Barrels), Tonnes = g.Sum(f => f.Tonnes),
                ValueUsd = g.Sum(f => f.ValueUsd), ValuedShipmentCount = g.Sum(f => f.ValuedShipmentCount),
                UpdatedAt = g.Max(f => f.UpdatedAt),
            })
            .ToListAsync(cancellationToken);

        return groups
            .Select(g => new PartnerFlowSums(g.Partner, new FlowSums(
                g.Importer == country ? FlowDirection.Imports : FlowDirection.Exports, g.Origin,
                g.ShipmentCount, g.Barrels, g.Tonnes, g.ValueUsd, g.ValuedShipmentCount, g.UpdatedAt)))
            .ToList();
    }
}
