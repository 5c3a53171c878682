using EnergyTrade.Trade.Totals;
using Npgsql;
using NpgsqlTypes;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Every read of the totals — bilateral_totals, or as of an instant the shipment_versions valid then — in one dialect: the pair rule (<see cref="TotalsFlow.IsBetween"/>,
/// here as SQL, and its extension to WORLD and groups), the month basis, the filters, the groups, the
/// sums and reading them back. A one-country pair keeps its predicates literal, so PostgreSQL can
/// use ux_bilateral_totals_key and ix_bilateral_totals_importer, or ix_bilateral_totals_origin.
/// Which range ends are bounded is part of a statement's shape rather than a NULL test on a
/// parameter: "(@first IS NULL OR month >= @first)" made PostgreSQL plan every execution afresh
/// (docs/benchmarks.md, the dimensions phase), a fixed shape lets it reuse a generic plan.
/// </summary>
internal static class TotalsSql
{
    private const string Sums =
        "sum(shipment_count)::bigint, sum(barrels), sum(tonnes), sum(value_usd), sum(valued_shipment_count)::bigint, sum(valued_barrels), max(updated_at)";

    /// <summary>A statement and how to bind it; the SQL depends only on the query's shape, so equal shapes share a prepared plan.</summary>
    public sealed record Statement(string Sql, Action<NpgsqlParameterCollection> Bind)
    {
        public NpgsqlCommand CreateCommand(NpgsqlDataSource dataSource)
        {
            var command = dataSource.CreateCommand(Sql);
            Bind(command.Parameters);
            return command;
        }

        public NpgsqlCommand CreateCommand(NpgsqlConnection connection)
        {
            var command = new NpgsqlCommand(Sql, connection);
            Bind(command.Parameters);
            return command;
        }

        public NpgsqlBatchCommand ToBatchCommand()
        {
            var command = new NpgsqlBatchCommand(Sql);
            Bind(command.Parameters);
            return command;
        }
    }

    /// <summary>
    /// The query's sums per direction (by importer), origin and group keys, and per month of its month
    /// basis when asked: columns importer, origin, [month,] group keys…, sums.
    /// </summary>
    public static Statement Pair(PairQuery q, bool perMonth)
    {
        var period = q.ByDelivery ? "delivery_month" : "month";
        var columns = string.Join(", ", ["importer_country", "origin_country", .. perMonth ? [period] : Array.Empty<string>(), .. GroupColumns(q)]);
        var sql = $"""
            SELECT {columns}, {Sums}
            FROM {Rows(q.AsOf)}
            WHERE {Between(q, period)}
              AND {period} IS NOT NULL{InRange(period, q.Range)}
              {Filters(q)}
            GROUP BY {columns}
            """;
        return new Statement(sql, p => Bind(p, q, withFirst: true));
    }

    /// <summary>
    /// On the delivery basis, what was loaded by the end of the range and not delivered by then, with
    /// the same columns as <see cref="Pair"/> without months. Membership of a group counts by loading month.
    /// </summary>
    public static Statement InTransit(PairQuery q)
    {
        var columns = string.Join(", ", ["importer_country", "origin_country", .. GroupColumns(q)]);
        var sql = $"""
            SELECT {columns}, {Sums}
            FROM {Rows(q.AsOf)}
            WHERE {Between(q, "month")}
              AND {(q.Range.Last is null ? "delivery_month IS NULL" : "month <= @last AND (delivery_month IS NULL OR delivery_month > @last)")}
              {Filters(q)}
            GROUP BY {columns}
            """;
        return new Statement(sql, p => Bind(p, q, withFirst: false));
    }

    /// <summary>
    /// The versions recorded after @since and by @until that count in the query's scope, or whose
    /// predecessor did, the first <paramref name="maxVersions"/> in time order: columns shipment_id,
    /// revision (the version), sign (+1 for what the version counts, -1 for what its predecessor
    /// counted), importer, the figures, and the number of such versions in all. A version and its
    /// predecessor are each tested against the pair, range and filters, so a shipment amended into or
    /// out of scope shows with one side only. Their sum over the scope is exactly the figures as of
    /// @until minus the figures as of @since.
    /// </summary>
    public static Statement Revisions(PairQuery q, DateTimeOffset since, DateTimeOffset until, int maxVersions)
    {
        var period = q.ByDelivery ? "delivery_month" : "month";
        const string Figures = KeyColumns + ", barrels, tonnes, value_usd";
        // Versions are numbered in time order (dense_rank) so that only the first maxVersions leave the
        // server, each with all its rows, and the count of them all travels along on every row.
        var sql = $"""
            SELECT shipment_id, revision, sign, importer_country, barrels, tonnes, value_usd, total
            FROM (
                SELECT ranked.*, max(rank) OVER () AS total
                FROM (
                    SELECT bilateral_totals.*, dense_rank() OVER (ORDER BY revised_at, shipment_id, revision) AS rank
                    FROM (
                        SELECT shipment_id, version AS revision, valid_from AS revised_at, 1 AS sign, {Figures}
                        FROM shipment_versions WHERE contributes AND valid_from > @since AND valid_from <= @until
                        UNION ALL
                        SELECT p.shipment_id,
                               (SELECT min(n.version) FROM shipment_versions n WHERE n.shipment_id = p.shipment_id AND n.version > p.version),
                               p.valid_until, -1, {string.Join(", ", Figures.Split(", ").Select(c => "p." + c))}
                        FROM shipment_versions p WHERE p.contributes AND p.valid_until > @since AND p.valid_until <= @until
                    ) AS bilateral_totals
                    WHERE {Between(q, period)}
                      AND {period} IS NOT NULL{InRange(period, q.Range)}
                      {Filters(q)}
                ) AS ranked
            ) AS counted
            WHERE rank <= @max_versions
            ORDER BY rank, sign
            """;
        return new Statement(sql, p =>
        {
            Bind(p, q with { AsOf = null }, withFirst: true);
            p.Add(new NpgsqlParameter<DateTimeOffset>("since", NpgsqlDbType.TimestampTz) { TypedValue = since });
            p.Add(new NpgsqlParameter<DateTimeOffset>("until", NpgsqlDbType.TimestampTz) { TypedValue = until });
            p.Add(new NpgsqlParameter<long>("max_versions", NpgsqlDbType.Bigint) { TypedValue = maxVersions });
        });
    }

    private static IEnumerable<string> GroupColumns(PairQuery q) => q.Slice.GroupBy.Dimensions.Select(Dimensions.Column);

    /// <summary>
    /// A country's sums per partner, direction and origin. Rows whose shipments were all cancelled
    /// are no trade; nor, on the origin basis, is oil re-imported into its own country of production,
    /// or oil whose origin was not disclosed (it names no partner).
    /// </summary>
    public static Statement Partners(string country, MonthRange range, bool byOrigin, DateTimeOffset? asOf)
    {
        var seller = TotalsFlow.SellerColumn(byOrigin);
        var sql = $"""
            SELECT CASE WHEN importer_country = @country THEN {seller} ELSE importer_country END, importer_country, origin_country, {Sums}
            FROM {Rows(asOf)}
            WHERE ({seller} = @country OR importer_country = @country) AND shipment_count <> 0
              {(byOrigin ? "AND origin_country IS NOT NULL AND origin_country <> importer_country" : "")}{InRange("month", range)}
            GROUP BY 1, importer_country, origin_country
            """;
        return new Statement(sql, p =>
        {
            p.Add(Country("country", country));
            BindRange(p, range, withFirst: true);
            BindAsOf(p, asOf);
        });
    }

    /// <summary>
    /// The rows an answer sums: bilateral_totals for today's figures; as of an instant, the versions
    /// that were the newest then, one shipment per row under the same column names, so every statement
    /// here reads either unchanged. PostgreSQL flattens the subquery, so the pair's predicates still
    /// reach an index (shipment_versions' mirror those of bilateral_totals).
    /// </summary>
    private static string Rows(DateTimeOffset? asOf) => asOf is null ? "bilateral_totals" : $"({VersionRows("valid_from <= @as_of AND (valid_until IS NULL OR valid_until > @as_of)")}) AS bilateral_totals";

    /// <summary>What a totals row and a version are both keyed by: the grain of <see cref="TotalsKey"/>.</summary>
    private const string KeyColumns = "exporter_country, importer_country, origin_country, month, delivery_month, shipper, buyer, grade, load_port, discharge_port";

    /// <summary>Contributing shipment_versions that meet <paramref name="condition"/>, shaped like bilateral_totals.</summary>
    private static string VersionRows(string condition) => $"""
        SELECT {KeyColumns},
               1 AS shipment_count, barrels, tonnes, coalesce(value_usd, 0) AS value_usd,
               CASE WHEN value_usd IS NULL THEN 0 ELSE 1 END AS valued_shipment_count,
               CASE WHEN value_usd IS NULL THEN 0 ELSE barrels END AS valued_barrels, valid_from AS updated_at
        FROM shipment_versions WHERE contributes AND {condition}
        """;

    private static void BindAsOf(NpgsqlParameterCollection parameters, DateTimeOffset? asOf)
    {
        if (asOf is { } instant) parameters.Add(new NpgsqlParameter<DateTimeOffset>("as_of", NpgsqlDbType.TimestampTz) { TypedValue = instant });
    }

    /// <summary>The bounded ends of the range on <paramref name="column"/>, as part of the statement's shape (see the class summary).</summary>
    private static string InRange(string column, MonthRange range) =>
        (range.First is null ? "" : $" AND {column} >= @first") + (range.Last is null ? "" : $" AND {column} <= @last");

    private static void BindRange(NpgsqlParameterCollection parameters, MonthRange range, bool withFirst)
    {
        if (withFirst && range.First is { } first) parameters.Add(new NpgsqlParameter<DateOnly>("first", NpgsqlDbType.Date) { TypedValue = first });
        if (range.Last is { } last) parameters.Add(new NpgsqlParameter<DateOnly>("last", NpgsqlDbType.Date) { TypedValue = last });
    }

    /// <summary>
    /// The pair rule. For one partner: the importer is one of the two countries and the seller the
    /// other. For WORLD: the country sells to anyone else, or buys from anyone else (on the origin
    /// basis, oil of undisclosed origin included). For a group: the same, with the other side a member
    /// in the row's month.
    /// </summary>
    private static string Between(PairQuery q, string period)
    {
        var seller = TotalsFlow.SellerColumn(q.ByOrigin);
        if (q.Partners is null)
        {
            // Either way between the two; said as two lists rather than an OR of two pairs, so it is one
            // range of the pair index (an OR would be two, combined in a bitmap that reads the table).
            return $"({seller} IN (@country, @partner) AND importer_country IN (@country, @partner) AND {seller} <> importer_country)";
        }
        if (q.Partners.IsWorld)
        {
            return $"(({seller} = @country AND importer_country <> @country) OR (importer_country = @country AND {seller} IS DISTINCT FROM @country))";
        }
        string Member(string column) =>
            $"EXISTS (SELECT 1 FROM unnest(@members, @joined, @left) AS g(c, f, l) WHERE g.c = {column} AND {period} >= g.f AND (g.l IS NULL OR {period} <= g.l))";
        return $"(({seller} = @country AND importer_country <> @country AND {Member("importer_country")}) OR (importer_country = @country AND {seller} <> @country AND {Member(seller)}))";
    }

    private static string Filters(PairQuery q) =>
        string.Concat(q.Slice.Filters().Select(f => $" AND {Dimensions.Column(f.Dimension)} = @{Dimensions.Column(f.Dimension)}"));

    private static void Bind(NpgsqlParameterCollection parameters, PairQuery q, bool withFirst)
    {
        parameters.Add(Country("country", q.Country));
        if (q.Partners is null) parameters.Add(Country("partner", q.Partner));
        else if (!q.Partners.IsWorld)
        {
            var spans = q.Partners.MonthSpans();
            parameters.Add(new NpgsqlParameter("members", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = spans.Select(s => s.Country).ToArray() });
            parameters.Add(new NpgsqlParameter("joined", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = spans.Select(s => s.First).ToArray() });
            parameters.Add(new NpgsqlParameter("left", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = spans.Select(s => s.Last).ToArray() });
        }
        BindRange(parameters, q.Range, withFirst);
        BindAsOf(parameters, q.AsOf);
        foreach (var (dimension, key) in q.Slice.Filters())
        {
            parameters.Add(new NpgsqlParameter(Dimensions.Column(dimension), NpgsqlDbType.Text) { Value = key });
        }
    }

    /// <summary>character(2), like the columns: a text parameter would make PostgreSQL compare as text and skip the indexes.</summary>
    private static NpgsqlParameter Country(string name, string code) => new(name, NpgsqlDbType.Char) { Value = code };

    /// <summary>
    /// One row of <see cref="Pair"/> or <see cref="InTransit"/>: the group keys from <paramref name="keysAt"/>
    /// (as many as the query groups by; null for a name not recorded), then the sums.
    /// </summary>
    public static FlowSums ReadSums(NpgsqlDataReader reader, PairQuery q, int keysAt)
    {
        var keys = new string?[q.Slice.GroupBy.Dimensions.Length];
        for (var i = 0; i < keys.Length; i++) keys[i] = reader.IsDBNull(keysAt + i) ? null : reader.GetString(keysAt + i).TrimEnd();
        return ReadSums(reader, keysAt + keys.Length, q.DirectionOf(reader.GetString(0)), reader.IsDBNull(1) ? null : reader.GetString(1), keys);
    }

    /// <summary>The <see cref="Sums"/> columns from <paramref name="at"/> on.</summary>
    public static FlowSums ReadSums(NpgsqlDataReader reader, int at, FlowDirection direction, string? origin, GroupKeys keys) => new(direction, origin, keys,
        reader.GetInt64(at), reader.GetDecimal(at + 1), reader.GetDecimal(at + 2), reader.GetDecimal(at + 3), reader.GetInt64(at + 4),
        reader.GetDecimal(at + 5), reader.GetFieldValue<DateTimeOffset>(at + 6));
}
