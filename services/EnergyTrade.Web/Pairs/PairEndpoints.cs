using System.Globalization;
using EnergyTrade.Trade.V1;
using EnergyTrade.Web.Api;

namespace EnergyTrade.Web.Pairs;

/// <summary>/api/series: a pair's months by origin, its totals and the same a year earlier; /api/series.csv: what is shown.</summary>
public static class PairEndpoints
{
    public static IEndpointRouteBuilder MapPairEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/series", async (HttpRequest request, TradeService.TradeServiceClient trade, CancellationToken cancellationToken) =>
            TypedResults.Json(await ReadAsync(PairQuery.Read(request.Query), trade, cancellationToken)));

        app.MapGet("/api/series.csv", async (HttpRequest request, TradeService.TradeServiceClient trade, CancellationToken cancellationToken) =>
        {
            var query = PairQuery.Read(request.Query);
            var exports = request.Query.Optional("flow").ToLowerInvariant() switch
            {
                "" or "exports" => true,
                "imports" => false,
                _ => throw new BadQueryException("'flow' is exports or imports."),
            };
            var view = await ReadAsync(query, trade, cancellationToken);
            var (exporter, importer) = exports ? (query.Country, query.Partner) : (query.Partner, query.Country);
            return CsvFile.Result($"{exporter}-{importer}-{view.From}-{view.To}.csv",
                ["month", "exporter", "importer", Header(query.StackName), "shipments", "barrels", "barrels_per_day", "value_usd", "valued_shipments"],
                Rows(view, exports, exporter, importer, query.StackBy is not null));
        });
        return app;
    }

    public static async Task<PairView> ReadAsync(PairQuery query, TradeService.TradeServiceClient trade, CancellationToken cancellationToken)
    {
        var earlier = query.YearEarlier();
        var series = trade.GetTradeSeriesAsync(query.Series(), cancellationToken: cancellationToken).ResponseAsync;
        var earlierSeries = trade.GetTradeSeriesAsync(earlier.Series(), cancellationToken: cancellationToken).ResponseAsync;
        var comparison = trade.CompareBilateralTotalsAsync(query.Comparison(), cancellationToken: cancellationToken).ResponseAsync;
        await Task.WhenAll(series, earlierSeries, comparison);

        var current = comparison.Result.Current;
        return new PairView(query.Country, query.Partner, QueryValues.Text(query.From), QueryValues.Text(query.To),
            current.UpdateTime?.ToDateTimeOffset(),
            TotalsView.From(current, query.Days),
            [.. series.Result.Months.Select(MonthView.From)],
            new YearEarlierView(QueryValues.Text(earlier.From), QueryValues.Text(earlier.To),
                TotalsView.From(comparison.Result.Previous, earlier.Days), [.. earlierSeries.Result.Months.Select(MonthView.From)]));
    }

    /// <summary>loadPort → load_port, as the other columns are named.</summary>
    private static string Header(string stackName) => string.Concat(stackName.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));

    private static IEnumerable<string[]> Rows(PairView view, bool exports, string exporter, string importer, bool grouped)
    {
        foreach (var month in view.Months)
        {
            var flow = exports ? month.Exports : month.Imports;
            // A group counts its valued shipments; Trade's split by origin does not (then the flow's count decides).
            var parts = grouped
                ? flow.Groups.Select(g => (Key: g.Key, g.ShipmentCount, g.Barrels, g.BarrelsPerDay, g.Value, Valued: (long?)g.ValuedShipmentCount))
                : flow.ByOrigin.Select(o => (Key: o.Undisclosed ? "undisclosed" : o.Origin, o.ShipmentCount, o.Barrels, o.BarrelsPerDay, o.Value, Valued: (long?)null));
            foreach (var part in parts)
            {
                var valued = part.Valued ?? flow.ValuedShipmentCount;
                yield return [month.Month, exporter, importer, part.Key, part.ShipmentCount.ToString(CultureInfo.InvariantCulture),
                    part.Barrels, part.BarrelsPerDay, valued > 0 ? part.Value : "", part.Valued?.ToString(CultureInfo.InvariantCulture) ?? ""];
            }
            yield return [month.Month, exporter, importer, "all", flow.ShipmentCount.ToString(CultureInfo.InvariantCulture),
                flow.Barrels, flow.BarrelsPerDay ?? "", flow.ValuedShipmentCount > 0 ? flow.Value : "", flow.ValuedShipmentCount.ToString(CultureInfo.InvariantCulture)];
        }
    }
}
