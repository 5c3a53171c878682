using EnergyTrade.Trade.Totals;
using Npgsql;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Trade's one read store: every answer comes from bilateral_totals through <see cref="TotalsSql"/>.
/// A pair's totals — asked for by GetBilateralTotals, CompareBilateralTotals and every watch wake-up —
/// go through <see cref="TotalsCache"/> and <see cref="TotalsReader"/>'s batched reads; a series and
/// a country's partners are read directly.
/// </summary>
public sealed class TotalsStore(TotalsCache cache, NpgsqlDataSource dataSource, NameBook names)
{
    public Task<TotalsCache.Answer> PairAsync(PairQuery q, CancellationToken cancellationToken) => cache.GetAsync(q, cancellationToken);

    /// <summary>A pair's sums per month of its month basis, in one query; months without rows are absent (see <see cref="MonthlySeries"/>).</summary>
    public async Task<IReadOnlyList<MonthlyFlowSums>> MonthlyAsync(PairQuery q, CancellationToken cancellationToken)
    {
        var months = new List<DateOnly>();
        var sums = new List<FlowSums>();
        await using (var command = TotalsSql.Pair(q, perMonth: true).CreateCommand(dataSource))
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
    public async Task<IReadOnlyList<PartnerFlowSums>> PartnersAsync(string country, MonthRange range, Basis basis, CancellationToken cancellationToken)
    {
        var sums = new List<PartnerFlowSums>();
        await using var command = TotalsSql.Partners(country, range, basis == Basis.Origin).CreateCommand(dataSource);
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
