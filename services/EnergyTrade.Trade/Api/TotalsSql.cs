using EnergyTrade.Trade.Totals;
using Npgsql;
using NpgsqlTypes;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Every read of bilateral_totals, in one dialect: the pair rule (<see cref="TotalsFlow.IsBetween"/>,
/// here as SQL), the sums, the parameters and reading the sums back. Each statement keeps its
/// predicates literal, so PostgreSQL can use the primary key and ix_bilateral_totals_importer, or
/// ix_bilateral_totals_origin.
/// </summary>
internal static class TotalsSql
{
    private const string Sums =
        "sum(shipment_count)::bigint, sum(barrels), sum(tonnes), sum(value_usd), sum(valued_shipment_count)::bigint, max(updated_at)";

    /// <summary>A pair's sums ($1 country, $2 partner, $3–$4 the range) per direction and origin, and per month when asked.</summary>
    public static string Pair(bool byOrigin, bool perMonth)
    {
        var seller = TotalsFlow.SellerColumn(byOrigin);
        var month = perMonth ? "month, " : "";
        return $"""
            SELECT {month}importer_country, origin_country, {Sums}
            FROM bilateral_totals
            WHERE (({seller} = $1 AND importer_country = $2) OR ({seller} = $2 AND importer_country = $1))
              AND {InRange(3)}
            GROUP BY {month}importer_country, origin_country
            """;
    }

    /// <summary>
    /// A country's sums ($1 country, $2–$3 the range) per partner, direction and
    /// origin. Rows whose shipments were all cancelled are no trade; nor, on the origin basis, is oil
    /// re-imported into its own country of production.
    /// </summary>
    public static string Partners(bool byOrigin)
    {
        var seller = TotalsFlow.SellerColumn(byOrigin);
        return $"""
            SELECT CASE WHEN importer_country = $1 THEN {seller} ELSE importer_country END, importer_country, origin_country, {Sums}
            FROM bilateral_totals
            WHERE ({seller} = $1 OR importer_country = $1) AND shipment_count <> 0 {(byOrigin ? "AND origin_country <> importer_country" : "")}
              AND {InRange(2)}
            GROUP BY 1, importer_country, origin_country
            """;
    }

    /// <summary>The parameters of the statements above, in order: the countries, then the range.</summary>
    public static void Bind(NpgsqlParameterCollection parameters, MonthRange range, params string[] countries)
    {
        // character(2), like the columns: a text parameter would make PostgreSQL compare as text and skip the indexes.
        foreach (var country in countries) parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Char, Value = country });
        parameters.Add(new NpgsqlParameter<DateOnly?> { NpgsqlDbType = NpgsqlDbType.Date, TypedValue = range.First });
        parameters.Add(new NpgsqlParameter<DateOnly?> { NpgsqlDbType = NpgsqlDbType.Date, TypedValue = range.Last });
    }

    /// <summary>The month range, either end open, from parameter $<paramref name="first"/> on.</summary>
    private static string InRange(int first) =>
        $"(${first}::date IS NULL OR month >= ${first}) AND (${first + 1}::date IS NULL OR month <= ${first + 1})";

    /// <summary>The <see cref="Sums"/> columns from <paramref name="at"/> on.</summary>
    public static FlowSums ReadSums(NpgsqlDataReader reader, int at, FlowDirection direction, string origin) => new(direction, origin,
        reader.GetInt64(at), reader.GetDecimal(at + 1), reader.GetDecimal(at + 2), reader.GetDecimal(at + 3), reader.GetInt64(at + 4),
        reader.GetFieldValue<DateTimeOffset>(at + 5));
}
