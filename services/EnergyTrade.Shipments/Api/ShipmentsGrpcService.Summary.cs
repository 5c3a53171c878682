using EnergyTrade.Contracts;
using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Data;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using V1 = EnergyTrade.Shipments.V1;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>The reference sums a reconciliation compares Trade against.</summary>
public sealed partial class ShipmentsGrpcService
{
    [Authorize(Policy = Scopes.ShipmentsRead)]
    public override async Task<V1.ShipmentSummary> SummarizeShipments(V1.SummarizeShipmentsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        RequireCountry(request.Country, "country", violations);
        RequireCountry(request.Partner, "partner", violations);
        if (request.Country.Length > 0 && request.Country == request.Partner) violations.Add("partner", "must differ from country.", "SAME_COUNTRY");
        if (!Enum.IsDefined(request.Basis)) violations.Add("basis", $"{(int)request.Basis} is not a Basis.", "INVALID_ENUM");
        var first = OptionalMonth(request.FirstMonth, "first_month", violations);
        var last = OptionalMonth(request.LastMonth, "last_month", violations);
        if (first > last) violations.Add("last_month", "is before first_month.", "EMPTY_RANGE");
        violations.ThrowIfAny();

        var (country, partner) = (request.Country, request.Partner);
        var byOrigin = request.Basis == Basis.Origin;
        var query = db.Shipments.AsNoTracking().Where(s => s.State == ShipmentState.Active);
        query = byOrigin
            ? query.Where(s => (s.OriginCountry == country && s.ImporterCountry == partner) || (s.OriginCountry == partner && s.ImporterCountry == country))
            : query.Where(s => (s.ExporterCountry == country && s.ImporterCountry == partner) || (s.ExporterCountry == partner && s.ImporterCountry == country));
        if (first is { } from) query = query.Where(s => s.LoadDate >= from);
        if (last is { } to)
        {
            // The month's last day rather than "before the next month": December 9999 has no next month.
            var end = new DateOnly(to.Year, to.Month, DateTime.DaysInMonth(to.Year, to.Month));
            query = query.Where(s => s.LoadDate <= end);
        }

        var rows = await query
            .GroupBy(s => new { s.ExporterCountry, s.OriginCountry, s.LoadDate.Year, s.LoadDate.Month })
            .Select(g => new SummaryRow(
                g.Key.ExporterCountry, g.Key.OriginCountry, new DateOnly(g.Key.Year, g.Key.Month, 1),
                g.Count(), g.Sum(s => s.Barrels), g.Sum(s => s.Tonnes),
                g.Sum(s => s.ValueUsd ?? 0), g.Count(s => s.ValueUsd != null)))
            .ToListAsync(context.CancellationToken);

        // Under the origin basis the country of production plays the exporter.
        bool IsExport(SummaryRow r) => (byOrigin ? r.Origin : r.Exporter) == country;
        var exports = rows.Where(IsExport).ToList();
        var imports = rows.Where(r => !IsExport(r)).ToList();
        var summary = new V1.ShipmentSummary
        {
            Country = country,
            Partner = partner,
            Basis = byOrigin ? Basis.Origin : Basis.Commercial,
            Exports = Flow(exports),
            Imports = Flow(imports),
            Turnover = ProtoConvert.ToProtoMoney(exports.Sum(r => r.ValueUsd) + imports.Sum(r => r.ValueUsd)),
            Balance = ProtoConvert.ToProtoMoney(exports.Sum(r => r.ValueUsd) - imports.Sum(r => r.ValueUsd)),
        };
        if (first is { } f) summary.FirstMonth = ProtoConvert.ToProtoMonth(f);
        if (last is { } l) summary.LastMonth = ProtoConvert.ToProtoMonth(l);
        summary.Months.AddRange(rows.Select(r => r.Month).Distinct().Order().Select(month => new V1.MonthSummary
        {
            Month = ProtoConvert.ToProtoMonth(month),
            Exports = Flow(exports.Where(r => r.Month == month)),
            Imports = Flow(imports.Where(r => r.Month == month)),
        }));
        return summary;
    }

    private static V1.FlowSummary Flow(IEnumerable<SummaryRow> rows)
    {
        var list = rows.ToList();
        var flow = new V1.FlowSummary
        {
            ShipmentCount = list.Sum(r => r.Count),
            Barrels = ProtoConvert.ToProtoDecimal(list.Sum(r => r.Barrels)),
            Tonnes = ProtoConvert.ToProtoDecimal(list.Sum(r => r.Tonnes)),
            Value = ProtoConvert.ToProtoMoney(list.Sum(r => r.ValueUsd)),
            ValuedShipmentCount = list.Sum(r => r.ValuedCount),
        };
        flow.ByOrigin.AddRange(list.GroupBy(r => r.Origin)
            .Select(g => (Origin: g.Key, Count: g.Sum(r => r.Count), Barrels: g.Sum(r => r.Barrels), Tonnes: g.Sum(r => r.Tonnes), ValueUsd: g.Sum(r => r.ValueUsd)))
            .OrderByDescending(o => o.Barrels).ThenBy(o => o.Origin, StringComparer.Ordinal)
            .Select(o => new V1.OriginSummary
            {
                OriginCountry = o.Origin ?? "",
                ShipmentCount = o.Count,
                Barrels = ProtoConvert.ToProtoDecimal(o.Barrels),
                Tonnes = ProtoConvert.ToProtoDecimal(o.Tonnes),
                Value = ProtoConvert.ToProtoMoney(o.ValueUsd),
            }));
        return flow;
    }

    private static void RequireCountry(string code, string field, FieldViolations violations)
    {
        if (code.Length == 0) violations.Add(field, "is required: an ISO 3166-1 alpha-2 code such as AZ.", "REQUIRED");
        else if (!CountryCodes.IsAssigned(code)) violations.Add(field, $"'{Truncate(code)}' is not an officially assigned ISO 3166-1 alpha-2 code.", "UNKNOWN_COUNTRY");
    }

    private static DateOnly? OptionalMonth(Google.Type.Date? proto, string field, FieldViolations violations)
    {
        if (proto is null) return null;
        if (ProtoConvert.TryGetMonth(proto, out var month)) return month;
        violations.Add(field, "must be a month: a Date with year, month (1–12) and day 0.", "INVALID_MONTH");
        return null;
    }

    private sealed record SummaryRow(string Exporter, string? Origin, DateOnly Month, int Count, decimal Barrels, decimal Tonnes, decimal ValueUsd, int ValuedCount);
}
