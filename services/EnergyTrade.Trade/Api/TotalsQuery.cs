using EnergyTrade.Trade.Data;
using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Sums bilateral_totals for a pair. Both bases reduce to one rule: the importer tells the direction
/// (the partner imports what the country exports), and the basis only decides whether the seller's
/// country or the country of production plays the exporter.
/// </summary>
public sealed class TotalsQuery(TradeDbContext db)
{
    /// <summary>The pair's rows, both directions, within the range.</summary>
    public IQueryable<TotalsRow> Rows(PairQuery q)
    {
        var (country, partner) = (q.Country, q.Partner);
        var rows = db.Totals.AsNoTracking();
        // Two literal predicates rather than one with a basis switch, so each can use its index:
        // the primary key and ix_bilateral_totals_importer, or ix_bilateral_totals_origin.
        rows = q.ByOrigin
            ? rows.Where(t => (t.OriginCountry == country && t.ImporterCountry == partner) ||
                              (t.OriginCountry == partner && t.ImporterCountry == country))
            : rows.Where(t => (t.ExporterCountry == country && t.ImporterCountry == partner) ||
                              (t.ExporterCountry == partner && t.ImporterCountry == country));
        if (q.Range.First is { } first) rows = rows.Where(t => t.Month >= first);
        if (q.Range.Last is { } last) rows = rows.Where(t => t.Month <= last);
        return rows;
    }

    /// <summary>The same sums per month, in one query; months without rows are absent (see <see cref="MonthlySeries"/>).</summary>
    public async Task<IReadOnlyList<MonthlyFlowSums>> MonthlyAsync(PairQuery q, CancellationToken cancellationToken)
    {
        var groups = await Rows(q)
            .GroupBy(t => new { t.Month, t.ImporterCountry, t.OriginCountry })
            .Select(g => new
            {
                g.Key.Month, g.Key.ImporterCountry, g.Key.OriginCountry,
                ShipmentCount = g.Sum(t => t.ShipmentCount), Barrels = g.Sum(t => t.Barrels), Tonnes = g.Sum(t => t.Tonnes),
                ValueUsd = g.Sum(t => t.ValueUsd), ValuedShipmentCount = g.Sum(t => t.ValuedShipmentCount), UpdatedAt = g.Max(t => t.UpdatedAt),
            })
            .ToListAsync(cancellationToken);
        return groups
            .Select(g => new MonthlyFlowSums(g.Month, new FlowSums(Direction(q, g.ImporterCountry), g.OriginCountry, g.ShipmentCount,
                g.Barrels, g.Tonnes, g.ValueUsd, g.ValuedShipmentCount, g.UpdatedAt)))
            .ToList();
    }

    internal static FlowDirection Direction(PairQuery q, string importer) =>
        importer == q.Partner ? FlowDirection.Exports : FlowDirection.Imports;
}
