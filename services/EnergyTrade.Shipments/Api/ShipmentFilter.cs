using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Data;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>The filters ListShipments, ExportShipments and the republish share: countries and an inclusive load-date range, each optional.</summary>
public sealed record ShipmentFilter(string Exporter, string Importer, string Origin, DateOnly? FirstLoadDate, DateOnly? LastLoadDate)
{
    public static ShipmentFilter Parse(string exporter, string importer, string origin, Google.Type.Date? first, Google.Type.Date? last, FieldViolations violations)
    {
        Country(exporter, "exporter_country", violations);
        Country(importer, "importer_country", violations);
        Country(origin, "origin_country", violations);
        var from = OptionalDate(first, "first_load_date", violations);
        var to = OptionalDate(last, "last_load_date", violations);
        if (from > to) violations.Add("last_load_date", "is before first_load_date.", "EMPTY_RANGE");
        return new ShipmentFilter(exporter, importer, origin, from, to);
    }

    public static ShipmentFilter Parse(V1.RepublishShipmentsRequest r, FieldViolations violations) =>
        Parse(r.ExporterCountry, r.ImporterCountry, r.OriginCountry, r.FirstLoadDate, r.LastLoadDate, violations);

    public static ShipmentFilter Parse(V1.ExportShipmentsRequest r, FieldViolations violations) =>
        Parse(r.ExporterCountry, r.ImporterCountry, r.OriginCountry, r.FirstLoadDate, r.LastLoadDate, violations);

    public IQueryable<Shipment> Apply(IQueryable<Shipment> query)
    {
        if (Exporter.Length > 0) query = query.Where(s => s.ExporterCountry == Exporter);
        if (Importer.Length > 0) query = query.Where(s => s.ImporterCountry == Importer);
        if (Origin.Length > 0) query = query.Where(s => s.OriginCountry == Origin);
        return ApplyLoadDates(query);
    }

    /// <summary>True when the load date is bounded on either side, so ix_shipments_load_date_id narrows a walk to the range.</summary>
    public bool BoundsLoadDate => FirstLoadDate is not null || LastLoadDate is not null;

    /// <summary>The load-date range alone, without the countries.</summary>
    public IQueryable<Shipment> ApplyLoadDates(IQueryable<Shipment> query)
    {
        if (FirstLoadDate is { } from) query = query.Where(s => s.LoadDate >= from);
        if (LastLoadDate is { } to) query = query.Where(s => s.LoadDate <= to);
        return query;
    }

    /// <summary>Identifies the filters inside a page token, so a token is refused under other filters.</summary>
    public override string ToString() => $"{Exporter}|{Importer}|{Origin}|{FirstLoadDate}|{LastLoadDate}";

    private static void Country(string code, string field, FieldViolations violations)
    {
        if (code.Length > 0 && !CountryCodes.IsAssigned(code))
        {
            violations.Add(field, $"'{(code.Length <= 64 ? code : code[..64] + "…")}' is not an officially assigned ISO 3166-1 alpha-2 code.", "UNKNOWN_COUNTRY");
        }
    }

    private static DateOnly? OptionalDate(Google.Type.Date? proto, string field, FieldViolations violations)
    {
        if (proto is null) return null;
        if (ProtoConvert.TryGetDate(proto, out var date)) return date;
        violations.Add(field, "is not a real calendar date.", "INVALID_DATE");
        return null;
    }
}
