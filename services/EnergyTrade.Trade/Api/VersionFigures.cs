using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Totals;
using Npgsql;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>One row of shipment_versions as a revision report shows it.</summary>
internal sealed record VersionFigures(Guid ShipmentId, long Version, DateTimeOffset ValidFrom, bool Contributes, string? Exporter, string? Importer,
    string? Origin, DateOnly? Month, DateOnly? DeliveryMonth, string? Shipper, string? Buyer, string? Grade, decimal Barrels, decimal Tonnes,
    decimal? ValueUsd)
{
    private static readonly string[] Names =
    [
        "shipment_id", "version", "valid_from", "contributes", "exporter_country", "importer_country", "origin_country", "month",
        "delivery_month", "shipper", "buyer", "grade", "barrels", "tonnes", "value_usd",
    ];

    public static int ColumnCount => Names.Length;

    /// <summary>The columns <see cref="Read"/> reads, of the table aliased <paramref name="alias"/>.</summary>
    public static string Columns(string alias) => string.Join(", ", Names.Select(n => $"{alias}.{n}"));

    /// <summary>The row from column <paramref name="at"/> on; null when the (outer-joined) row is absent.</summary>
    public static VersionFigures? Read(NpgsqlDataReader r, int at) => r.IsDBNull(at) ? null : new(
        r.GetGuid(at), r.GetInt64(at + 1), r.GetFieldValue<DateTimeOffset>(at + 2), r.GetBoolean(at + 3), Text(r, at + 4), Text(r, at + 5),
        Text(r, at + 6), Date(r, at + 7), Date(r, at + 8), Text(r, at + 9), Text(r, at + 10), Text(r, at + 11), r.GetDecimal(at + 12),
        r.GetDecimal(at + 13), r.IsDBNull(at + 14) ? null : r.GetDecimal(at + 14));

    public V1.ShipmentFigures ToProto(Func<NameKind, string?, string> spell)
    {
        var figures = new V1.ShipmentFigures
        {
            Version = Version,
            ExporterCountry = Exporter ?? "",
            ImporterCountry = Importer ?? "",
            OriginCountry = Origin ?? "",
            Shipper = spell(NameKind.Company, Shipper),
            Buyer = spell(NameKind.Company, Buyer),
            Grade = spell(NameKind.Grade, Grade),
            Barrels = ProtoConvert.ToProtoDecimal(Barrels),
            Tonnes = ProtoConvert.ToProtoDecimal(Tonnes),
        };
        if (Month is { } month) figures.Month = ProtoConvert.ToProtoMonth(month);
        if (DeliveryMonth is { } delivery) figures.DeliveryMonth = ProtoConvert.ToProtoMonth(delivery);
        if (ValueUsd is { } value) figures.Value = ProtoConvert.ToProtoMoney(value);
        return figures;
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i).TrimEnd();

    private static DateOnly? Date(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateOnly>(i);
}
