using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Data;
using EnergyTrade.Shipments.Outbox;
using EnergyTrade.ServiceDefaults.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>The reference sums a reconciliation compares Trade against, and the republish that rebuilds Trade.</summary>
public sealed partial class ShipmentsGrpcService
{
    private const int RepublishPageSize = 500;

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
        var byOrigin = request.Basis == V1.Basis.Origin;
        var query = db.Shipments.AsNoTracking().Where(s => s.State == ShipmentState.Active);
        query = byOrigin
            ? query.Where(s => (s.OriginCountry == country && s.ImporterCountry == partner) || (s.OriginCountry == partner && s.ImporterCountry == country))
            : query.Where(s => (s.ExporterCountry == country && s.ImporterCountry == partner) || (s.ExporterCountry == partner && s.ImporterCountry == country));
        if (first is { } from) query = query.Where(s => s.LoadDate >= from);
        if (last is { } to) query = query.Where(s => s.LoadDate < to.AddMonths(1));

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
            Basis = byOrigin ? V1.Basis.Origin : V1.Basis.Commercial,
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

    [Authorize(Policy = Scopes.ShipmentsWrite)]
    [EnableRateLimiting(SecurityExtensions.WritesRateLimit)]
    public override async Task<V1.RepublishShipmentsResponse> RepublishShipments(V1.RepublishShipmentsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var query = db.Shipments.AsNoTracking();
        query = FilterCountry(query, request.ExporterCountry, "exporter_country", s => s.ExporterCountry, violations);
        query = FilterCountry(query, request.ImporterCountry, "importer_country", s => s.ImporterCountry, violations);
        query = FilterCountry(query, request.OriginCountry, "origin_country", s => s.OriginCountry, violations);
        var first = OptionalDate(request.FirstLoadDate, "first_load_date", violations);
        var last = OptionalDate(request.LastLoadDate, "last_load_date", violations);
        if (first > last) violations.Add("last_load_date", "is before first_load_date.", "EMPTY_RANGE");
        violations.ThrowIfAny();
        if (first is { } from) query = query.Where(s => s.LoadDate >= from);
        if (last is { } to) query = query.Where(s => s.LoadDate <= to);

        var total = await query.CountAsync(context.CancellationToken);
        LogRepublishStarted(total);
        var done = 0;
        Guid? after = null;
        while (true)
        {
            // Keyset pages by id, each committed on its own: a huge republish never holds one giant
            // transaction, and the relay starts publishing the first pages while later ones are written.
            var page = await (after is { } a ? query.Where(s => s.Id > a) : query)
                .OrderBy(s => s.Id).Take(RepublishPageSize).ToListAsync(context.CancellationToken);
            if (page.Count == 0) break;
            var now = Now();
            db.OutboxMessages.AddRange(page.Select(s => OutboxSerializer.Create(
                new ShipmentChanged { Kind = ShipmentChangeKind.Republished, Shipment = s.ToSnapshot(), OccurredAt = now }, s.Id, now)));
            await db.SaveChangesAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            outboxSignal.Notify();
            done += page.Count;
            after = page[^1].Id;
            LogRepublishProgress(done, total);
        }
        return new V1.RepublishShipmentsResponse { RepublishedCount = done };
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
                OriginCountry = o.Origin,
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

    private static DateOnly? OptionalDate(Google.Type.Date? proto, string field, FieldViolations violations)
    {
        if (proto is null) return null;
        if (ProtoConvert.TryGetDate(proto, out var date)) return date;
        violations.Add(field, "is not a real calendar date.", "INVALID_DATE");
        return null;
    }

    private sealed record SummaryRow(string Exporter, string Origin, DateOnly Month, int Count, decimal Barrels, decimal Tonnes, decimal ValueUsd, int ValuedCount);

    [LoggerMessage(LogLevel.Information, "Republishing {Total} shipments through the outbox")]
    private partial void LogRepublishStarted(int total);

    [LoggerMessage(LogLevel.Information, "Republished {Done} of {Total} shipments")]
    private partial void LogRepublishProgress(int done, int total);
}
