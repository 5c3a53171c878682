using EnergyTrade.Contracts;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Data;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

public sealed class TradeGrpcService(TradeDbContext db) : V1.TradeService.TradeServiceBase
{
    public override async Task<V1.BilateralTotals> GetBilateralTotals(V1.GetBilateralTotalsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        Country(request.Country, "country", violations);
        Country(request.Partner, "partner", violations);
        if (request.Country.Length > 0 && request.Country == request.Partner)
        {
            violations.Add("partner", "must differ from country.", "SAME_COUNTRY");
        }
        var range = MonthRange.Parse(request.FirstMonth, request.LastMonth, "first_month", "last_month", violations);
        violations.ThrowIfAny();

        var (country, partner) = (request.Country, request.Partner);
        var rows = db.Totals.AsNoTracking().Where(t =>
            (t.ExporterCountry == country && t.ImporterCountry == partner) ||
            (t.ExporterCountry == partner && t.ImporterCountry == country));
        if (range.First is { } first) rows = rows.Where(t => t.Month >= first);
        if (range.Last is { } last) rows = rows.Where(t => t.Month <= last);

        var groups = await rows
            .GroupBy(t => new { t.ExporterCountry, t.OriginCountry })
            .Select(g => new OriginGroup(
                g.Key.ExporterCountry, g.Key.OriginCountry,
                g.Sum(t => t.ShipmentCount), g.Sum(t => t.Barrels), g.Sum(t => t.Tonnes),
                g.Sum(t => t.ValueUsd), g.Sum(t => t.ValuedShipmentCount), g.Max(t => t.UpdatedAt)))
            .ToListAsync(context.CancellationToken);

        var exports = Flow(groups.Where(g => g.Exporter == country));
        var imports = Flow(groups.Where(g => g.Exporter == partner));
        var exportValue = groups.Where(g => g.Exporter == country).Sum(g => g.ValueUsd);
        var importValue = groups.Where(g => g.Exporter == partner).Sum(g => g.ValueUsd);

        var totals = new V1.BilateralTotals
        {
            Country = country,
            Partner = partner,
            Exports = exports,
            Imports = imports,
            Turnover = ProtoConvert.ToProtoMoney(exportValue + importValue),
            Balance = ProtoConvert.ToProtoMoney(exportValue - importValue),
        };
        if (range.First is { } f) totals.FirstMonth = ProtoConvert.ToProtoMonth(f);
        if (range.Last is { } l) totals.LastMonth = ProtoConvert.ToProtoMonth(l);
        if (groups.Count > 0) totals.UpdateTime = ProtoConvert.ToTimestamp(groups.Max(g => g.UpdatedAt));
        return totals;
    }

    private static V1.FlowTotals Flow(IEnumerable<OriginGroup> groups)
    {
        var list = groups.ToList();
        var flow = new V1.FlowTotals
        {
            ShipmentCount = list.Sum(g => g.ShipmentCount),
            Barrels = ProtoConvert.ToProtoDecimal(list.Sum(g => g.Barrels)),
            Tonnes = ProtoConvert.ToProtoDecimal(list.Sum(g => g.Tonnes)),
            Value = ProtoConvert.ToProtoMoney(list.Sum(g => g.ValueUsd)),
            ValuedShipmentCount = list.Sum(g => g.ValuedShipmentCount),
        };
        flow.ByOrigin.AddRange(list
            .Where(g => g.ShipmentCount > 0)
            .OrderByDescending(g => g.Barrels).ThenBy(g => g.Origin, StringComparer.Ordinal)
            .Select(g => new V1.OriginTotals
            {
                OriginCountry = g.Origin,
                ShipmentCount = g.ShipmentCount,
                Barrels = ProtoConvert.ToProtoDecimal(g.Barrels),
                Tonnes = ProtoConvert.ToProtoDecimal(g.Tonnes),
                Value = ProtoConvert.ToProtoMoney(g.ValueUsd),
            }));
        return flow;
    }

    private static void Country(string code, string field, FieldViolations violations)
    {
        if (code.Length == 0) violations.Add(field, "is required: an ISO 3166-1 alpha-2 code such as AZ.", "REQUIRED");
        else if (!CountryCodes.IsAssigned(code)) violations.Add(field, $"'{(code.Length > 16 ? code[..16] + "…" : code)}' is not an officially assigned ISO 3166-1 alpha-2 code.", "UNKNOWN_COUNTRY");
    }

    private sealed record OriginGroup(string Exporter, string Origin, long ShipmentCount, decimal Barrels, decimal Tonnes,
        decimal ValueUsd, long ValuedShipmentCount, DateTimeOffset UpdatedAt);
}
