using System.Globalization;
using EnergyTrade.Client;
using EnergyTrade.Trade.V1;
using EnergyTrade.Web.Api;

namespace EnergyTrade.Web.Partners;

/// <summary>/api/partners: a country's partners ranked, every page of them; /api/partners.csv: the same.</summary>
public static class PartnerEndpoints
{
    public sealed record PartnerView(string Partner, int Rank, string ExportsBarrels, string ImportsBarrels, string TurnoverBarrels,
        string ExportsValue, string ImportsValue, string Turnover, string Balance);

    public sealed record PartnersView(string Country, IReadOnlyList<PartnerView> Partners);

    public static IEndpointRouteBuilder MapPartnerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/partners", async (HttpRequest request, TradeService.TradeServiceClient trade, CancellationToken cancellationToken) =>
            TypedResults.Json(await ReadAsync(request.Query, trade, cancellationToken)));

        app.MapGet("/api/partners.csv", async (HttpRequest request, TradeService.TradeServiceClient trade, CancellationToken cancellationToken) =>
        {
            var view = await ReadAsync(request.Query, trade, cancellationToken);
            return CsvFile.Result($"{view.Country}-partners.csv",
                ["rank", "country", "partner", "exports_barrels", "imports_barrels", "turnover_barrels", "exports_value_usd", "imports_value_usd", "turnover_usd", "balance_usd"],
                view.Partners.Select(p => new[] { p.Rank.ToString(CultureInfo.InvariantCulture), view.Country, p.Partner, p.ExportsBarrels, p.ImportsBarrels,
                    p.TurnoverBarrels, p.ExportsValue, p.ImportsValue, p.Turnover, p.Balance }));
        });
        return app;
    }

    private static async Task<PartnersView> ReadAsync(IQueryCollection query, TradeService.TradeServiceClient trade, CancellationToken cancellationToken)
    {
        var request = new ListPartnersRequest
        {
            Country = query.Code("country"),
            PageSize = 1000,
            OrderBy = query.Optional("orderBy").ToLowerInvariant() switch
            {
                "" or "turnover" => ListPartnersRequest.Types.OrderBy.TurnoverValue,
                "barrels" => ListPartnersRequest.Types.OrderBy.Barrels,
                _ => throw new BadQueryException("'orderBy' is turnover or barrels."),
            },
        };
        if (query.OptionalMonth("from") is { } from) request.FirstMonth = ProtoValues.Month(from);
        if (query.OptionalMonth("to") is { } to) request.LastMonth = ProtoValues.Month(to);

        var partners = new List<PartnerView>();
        do
        {
            var page = await trade.ListPartnersAsync(request, cancellationToken: cancellationToken);
            partners.AddRange(page.Partners.Select(p => new PartnerView(p.Partner, p.Rank, Figures.Text(p.Exports?.Barrels), Figures.Text(p.Imports?.Barrels),
                Figures.Text(p.TurnoverBarrels), Figures.Text(p.Exports?.Value), Figures.Text(p.Imports?.Value), Figures.Text(p.Turnover), Figures.Text(p.Balance))));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return new PartnersView(request.Country, partners);
    }
}
