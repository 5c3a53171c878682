using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Totals;
using Npgsql;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// GetRevisionReport: a pair's months as of two instants, and the shipment versions recorded in
/// between that made the difference, each with what it replaced. The figures and the versions are
/// read from the same history in one snapshot (a repeatable-read transaction: a version applied
/// meanwhile is in all four reads or in none), so the versions' changes add up to the difference exactly.
/// </summary>
public sealed class RevisionReports(TotalsStore totals, NpgsqlDataSource dataSource, NameBook names)
{
    public async Task<V1.RevisionReport> BuildAsync(PairQuery q, DateTimeOffset since, DateTimeOffset until, int maxChanges,
        CancellationToken cancellationToken)
    {
        var (first, last) = (q.Range.First!.Value, q.Range.Last!.Value);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var before = await totals.MonthlyAsync(connection, q with { AsOf = since }, cancellationToken);
        var after = await totals.MonthlyAsync(connection, q with { AsOf = until }, cancellationToken);

        var report = new V1.RevisionReport
        {
            Country = q.Country, Partner = q.Partner, Basis = q.Basis, PeriodBasis = q.Period,
            FirstMonth = ProtoConvert.ToProtoMonth(first), LastMonth = ProtoConvert.ToProtoMonth(last),
            Since = ProtoConvert.ToTimestamp(since), Until = ProtoConvert.ToTimestamp(until),
            Exports = Revised(before, after, FlowDirection.Exports, _ => true, q.Range.Days),
            Imports = Revised(before, after, FlowDirection.Imports, _ => true, q.Range.Days),
        };
        foreach (var (month, _) in MonthlySeries.Buckets(first, last, V1.Granularity.Month))
        {
            var days = MonthRange.DaysBetween(month, month);
            report.Months.Add(new V1.MonthRevision
            {
                Month = ProtoConvert.ToProtoMonth(month),
                Exports = Revised(before, after, FlowDirection.Exports, m => m == month, days),
                Imports = Revised(before, after, FlowDirection.Imports, m => m == month, days),
            });
        }

        var (listed, total) = await ReadChangesAsync(connection, q, since, until, maxChanges, cancellationToken);
        report.TotalChangeCount = total;
        var versions = await ReadVersionsAsync(connection, listed.Select(c => (c.ShipmentId, c.Revision)).ToList(), cancellationToken);
        await snapshot.CommitAsync(cancellationToken);
        var spell = await SpellingsAsync(versions.Values.SelectMany(v => new[] { v.Revised, v.Previous }).OfType<VersionFigures>(), cancellationToken);
        foreach (var change in listed)
        {
            var (revised, previous) = versions[(change.ShipmentId, change.Revision)];
            report.Changes.Add(new V1.RevisedShipment
            {
                Shipment = ShipmentResourceNames.Format(change.ShipmentId),
                Version = change.Revision,
                UpdateTime = ProtoConvert.ToTimestamp(revised.ValidFrom),
                Kind = !revised.Contributes ? V1.RevisedShipment.Types.Kind.Cancelled
                    : change.Revision == 1 ? V1.RevisedShipment.Types.Kind.Created
                    : V1.RevisedShipment.Types.Kind.Amended,
                Before = previous is { Contributes: true } ? previous.ToProto(spell) : null,
                After = revised.Contributes ? revised.ToProto(spell) : null,
                Exports = change.Change(q, FlowDirection.Exports),
                Imports = change.Change(q, FlowDirection.Imports),
            });
        }
        return report;
    }

    private static V1.RevisedFlow Revised(IReadOnlyList<MonthlyFlowSums> before, IReadOnlyList<MonthlyFlowSums> after, FlowDirection direction,
        Func<DateOnly, bool> months, int? days)
    {
        var then = before.Where(m => months(m.Month) && m.Sums.Direction == direction).Select(m => m.Sums).ToList();
        var now = after.Where(m => months(m.Month) && m.Sums.Direction == direction).Select(m => m.Sums).ToList();
        return new V1.RevisedFlow
        {
            Before = FlowSums.ToFlow(then, days),
            After = FlowSums.ToFlow(now, days),
            Change = FlowChanges.ToProto(
                now.Sum(s => s.ShipmentCount) - then.Sum(s => s.ShipmentCount), now.Sum(s => s.Barrels) - then.Sum(s => s.Barrels),
                now.Sum(s => s.Tonnes) - then.Sum(s => s.Tonnes), now.Sum(s => s.ValueUsd) - then.Sum(s => s.ValueUsd)),
        };
    }

    /// <summary>The first versions of <see cref="TotalsSql.Revisions"/>, each with its in-scope rows, oldest first; and how many there are in all.</summary>
    private static async Task<(IReadOnlyList<VersionChange> Listed, long Total)> ReadChangesAsync(NpgsqlConnection connection, PairQuery q,
        DateTimeOffset since, DateTimeOffset until, int maxChanges, CancellationToken cancellationToken)
    {
        var rows = new List<ChangeRow>();
        long total = 0;
        await using (var command = TotalsSql.Revisions(q, since, until, maxChanges).CreateCommand(connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new ChangeRow(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3),
                    reader.GetDecimal(4), reader.GetDecimal(5), reader.IsDBNull(6) ? 0 : reader.GetDecimal(6)));
                total = reader.GetInt64(7);
            }
        }
        // Rows come ordered by the version's time, so each version's rows are together and in that order.
        return (rows.GroupBy(r => (r.ShipmentId, r.Revision)).Select(g => new VersionChange(g.Key.ShipmentId, g.Key.Revision, g.ToList())).ToList(), total);
    }

    /// <summary>Each listed version and the one before it that Trade knows, by primary key.</summary>
    private static async Task<Dictionary<(Guid, long), (VersionFigures Revised, VersionFigures? Previous)>> ReadVersionsAsync(
        NpgsqlConnection connection, IReadOnlyList<(Guid ShipmentId, long Version)> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(Guid, long), (VersionFigures, VersionFigures?)>();
        if (keys.Count == 0) return found;
        await using var command = new NpgsqlCommand($"""
            SELECT {VersionFigures.Columns("v")}, {VersionFigures.Columns("p")}
            FROM unnest($1::uuid[], $2::bigint[]) AS k(id, version)
            JOIN shipment_versions v ON v.shipment_id = k.id AND v.version = k.version
            LEFT JOIN LATERAL (SELECT * FROM shipment_versions p WHERE p.shipment_id = k.id AND p.version < k.version
                               ORDER BY p.version DESC LIMIT 1) p ON true
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.ShipmentId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Version).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var revised = VersionFigures.Read(reader, 0)!;
            found[(revised.ShipmentId, revised.Version)] = (revised, VersionFigures.Read(reader, VersionFigures.ColumnCount));
        }
        return found;
    }

    private async Task<Func<NameKind, string?, string>> SpellingsAsync(IEnumerable<VersionFigures> versions, CancellationToken cancellationToken)
    {
        var all = versions.ToList();
        var companies = await names.SpellingsAsync(NameKind.Company,
            all.SelectMany(v => new[] { v.Shipper, v.Buyer }).OfType<string>().Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var grades = await names.SpellingsAsync(NameKind.Grade, all.Select(v => v.Grade).OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
            cancellationToken);
        return (kind, key) => key is null ? "" : (kind == NameKind.Grade ? grades : companies).GetValueOrDefault(key, key);
    }

    private sealed record ChangeRow(Guid ShipmentId, long Revision, int Sign, string Importer, decimal Barrels, decimal Tonnes, decimal ValueUsd);

    /// <summary>One version's in-scope rows: what it counts (+1) and what its predecessor counted (-1).</summary>
    private sealed record VersionChange(Guid ShipmentId, long Revision, IReadOnlyList<ChangeRow> Rows)
    {
        public V1.FlowChange Change(PairQuery q, FlowDirection direction)
        {
            var rows = Rows.Where(r => q.DirectionOf(r.Importer) == direction).ToList();
            return FlowChanges.ToProto(rows.Sum(r => (long)r.Sign), rows.Sum(r => r.Sign * r.Barrels), rows.Sum(r => r.Sign * r.Tonnes),
                rows.Sum(r => r.Sign * r.ValueUsd));
        }
    }
}
