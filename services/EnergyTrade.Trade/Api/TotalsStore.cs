using Npgsql;
using V1 = EnergyTrade.Trade.V1;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Trade's one read store: every answer comes from bilateral_totals through <see cref="TotalsSql"/>.
/// A pair's totals — asked for by GetBilateralTotals, CompareBilateralTotals and every watch wake-up —
/// go through <see cref="TotalsCache"/> and <see cref="TotalsReader"/>'s batched reads; a series and
/// a country's partners are read directly.
/// </summary>
public sealed class TotalsStore(TotalsCache cache, NpgsqlDataSource dataSource)
{
    public Task<TotalsCache.Answer> PairAsync(PairQuery q, CancellationToken cancellationToken) => cache.GetAsync(q, cancellationToken);

    /// <summary>A pair's sums per month, in one query; months without rows are absent (see <see cref="MonthlySeries"/>).</summary>
    public async Task<IReadOnlyList<MonthlyFlowSums>> MonthlyAsync(PairQuery q, CancellationToken cancellationToken)
    {
        var sums = new List<MonthlyFlowSums>();
        await using var command = dataSource.CreateCommand(TotalsSql.Pair(q.ByOrigin, perMonth: true));
        TotalsSql.Bind(command.Parameters, q.Range, q.Country, q.Partner);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sums.Add(new MonthlyFlowSums(reader.GetFieldValue<DateOnly>(0),
                TotalsSql.ReadSums(reader, 3, q.DirectionOf(reader.GetString(1)), reader.GetString(2))));
        }
        return sums;
    }

    /// <summary>A country's trade with each partner, both directions, summed in SQL by partner, direction and origin.</summary>
    public async Task<IReadOnlyList<PartnerFlowSums>> PartnersAsync(string country, MonthRange range, Basis basis, CancellationToken cancellationToken)
    {
        var sums = new List<PartnerFlowSums>();
        await using var command = dataSource.CreateCommand(TotalsSql.Partners(basis == Basis.Origin));
        TotalsSql.Bind(command.Parameters, range, country);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var direction = reader.GetString(1) == country ? FlowDirection.Imports : FlowDirection.Exports;
            sums.Add(new PartnerFlowSums(reader.GetString(0), TotalsSql.ReadSums(reader, 3, direction, reader.GetString(2))));
        }
        return sums;
    }
}
