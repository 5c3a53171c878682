using EnergyTrade.Trade.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Sums bilateral_totals for a pair. Both bases reduce to one rule: the importer tells the direction
/// (the partner imports what the country exports), and the basis only decides whether the seller's
/// country or the country of production plays the exporter.
/// </summary>
public sealed class TotalsQuery(TradeDbContext db, NpgsqlDataSource dataSource)
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

    /// <summary>
    /// The hottest read (every GetBilateralTotals miss and every watch wake-up), so it is one
    /// hand-written statement rather than a LINQ query EF would have to look up and bind each time.
    /// </summary>
    public async Task<PairTotals> TotalsAsync(PairQuery q, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(q.ByOrigin ? TotalsByOriginSql : TotalsCommercialSql);
        // character(2), like the columns: a text parameter would make PostgreSQL compare as text and skip the indexes.
        command.Parameters.Add(new NpgsqlParameter("country", NpgsqlTypes.NpgsqlDbType.Char) { Value = q.Country });
        command.Parameters.Add(new NpgsqlParameter("partner", NpgsqlTypes.NpgsqlDbType.Char) { Value = q.Partner });
        command.Parameters.Add(new NpgsqlParameter<DateOnly?>("first", NpgsqlTypes.NpgsqlDbType.Date) { TypedValue = q.Range.First });
        command.Parameters.Add(new NpgsqlParameter<DateOnly?>("last", NpgsqlTypes.NpgsqlDbType.Date) { TypedValue = q.Range.Last });
        var sums = new List<FlowSums>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sums.Add(new FlowSums(Direction(q, reader.GetString(0)), reader.GetString(1), reader.GetInt64(2), reader.GetDecimal(3),
                reader.GetDecimal(4), reader.GetDecimal(5), reader.GetInt64(6), reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return new PairTotals(q, sums);
    }

    // The seller column is the only difference between the bases; it is never user input.
    private static readonly string TotalsCommercialSql = TotalsSql("exporter_country");
    private static readonly string TotalsByOriginSql = TotalsSql("origin_country");

    private static string TotalsSql(string seller) => $"""
        SELECT importer_country, origin_country, sum(shipment_count)::bigint, sum(barrels), sum(tonnes), sum(value_usd),
               sum(valued_shipment_count)::bigint, max(updated_at)
        FROM bilateral_totals
        WHERE (({seller} = @country AND importer_country = @partner) OR ({seller} = @partner AND importer_country = @country))
          AND (@first IS NULL OR month >= @first) AND (@last IS NULL OR month <= @last)
        GROUP BY importer_country, origin_country
        """;

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

    private static FlowDirection Direction(PairQuery q, string importer) =>
        importer == q.Partner ? FlowDirection.Exports : FlowDirection.Imports;
}
