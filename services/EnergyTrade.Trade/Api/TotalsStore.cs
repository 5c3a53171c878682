using EnergyTrade.Trade.Totals;
using Npgsql;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Trade's one read store: every answer comes through <see cref="TotalsSql"/>, from bilateral_totals, or
/// as of an instant from shipment_versions.
/// A pair's totals — asked for by GetBilateralTotals, CompareBilateralTotals and every watch wake-up —
/// go through <see cref="TotalsCache"/> and <see cref="TotalsReader"/>'s batched reads; a series and
/// a country's partners are read directly. So is every answer as of an instant: a version that
/// reaches Trade late can still change it, and no notification says which.
/// </summary>
public sealed class TotalsStore(TotalsCache cache, TotalsReader reader, NpgsqlDataSource dataSource, NameBook names)
{
    public async Task<TotalsCache.Answer> PairAsync(PairQuery q, CancellationToken cancellationToken)
    {
        if (q.AsOf is null) return await cache.GetAsync(q, cancellationToken);
        var totals = await reader.ReadAsync(q, cancellationToken);
        return new TotalsCache.Answer(totals, totals.ToProto());
    }

    /// <summary>A pair's sums per month of its month basis, in one query; months without rows are absent (see <see cref="MonthlySeries"/>).</summary>
    public async Task<IReadOnlyList<MonthlyFlowSums>> MonthlyAsync(PairQuery q, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await MonthlyAsync(connection, q, cancellationToken);
    }

    /// <summary>The same, on a connection the caller holds (and in its transaction, if it opened one).</summary>
    public async Task<IReadOnlyList<MonthlyFlowSums>> MonthlyAsync(NpgsqlConnection connection, PairQuery q, CancellationToken cancellationToken)
    {
        var months = new List<DateOnly>();
        var sums = new List<FlowSums>();
        await using (var command = TotalsSql.Pair(q, perMonth: true).CreateCommand(connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                months.Add(reader.GetFieldValue<DateOnly>(2));
                sums.Add(TotalsSql.ReadSums(reader, q, keysAt: 3));
            }
        }
        var spelled = await GroupSpellings.ApplyAsync(names, q.Slice.GroupBy, sums, cancellationToken);
        return months.Zip(spelled, (month, s) => new MonthlyFlowSums(month, s)).ToList();
    }

    /// <summary>A country's trade with each partner, both directions, summed in SQL by partner, direction and origin.</summary>
    public async Task<IReadOnlyList<PartnerFlowSums>> PartnersAsync(string country, MonthRange range, Basis basis, DateTimeOffset? asOf,
        CancellationToken cancellationToken)
    {
        var sums = new List<PartnerFlowSums>();
        await using var command = TotalsSql.Partners(country, range, basis == Basis.Origin, asOf).CreateCommand(dataSource);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var direction = reader.GetString(1) == country ? FlowDirection.Imports : FlowDirection.Exports;
            sums.Add(new PartnerFlowSums(reader.GetString(0),
                TotalsSql.ReadSums(reader, 3, direction, reader.IsDBNull(2) ? null : reader.GetString(2), GroupKeys.None)));
        }
        return sums;
    }
}
