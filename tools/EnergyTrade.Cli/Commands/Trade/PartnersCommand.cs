using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Input;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Trade.V1;
using Spectre.Console;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Cli.Commands.Trade;

/// <summary>trade partners: a country's partners ranked by turnover value or by barrels; one page, or with --all every page.</summary>
public sealed class PartnersCommand(CliEnvironment environment) : ServiceCommand<PartnersSettings>(environment)
{
    protected override async Task<int> RunAsync(PartnersSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var trade = clients.Trade(Scopes.TradeRead);
        var request = BuildRequest(settings);
        var all = await Pages.ReadAsync(request, settings.All,
            r => clients.Caller.CallAsync(clients.TradeEndpoint, o => trade.ListPartnersAsync(r, o), RetryPolicy.Interactive, cancellationToken),
            page => page.NextPageToken, (r, token) => r.PageToken = token,
            (merged, page) =>
            {
                merged.Partners.AddRange(page.Partners);
                merged.NextPageToken = page.NextPageToken;
            });

        if (options.Json)
        {
            // With --all the pages are merged into one response, whose next_page_token is then empty.
            WriteJson(all);
            return ExitCodes.Success;
        }
        var country = CountryInput.Normalize(settings.Country);
        if (all.Partners.Count == 0)
        {
            Environment.Out.Write(new Text($"{country} has no trade partners ({Period(settings)}{Instants.AsOf(all.AsOf)}).{System.Environment.NewLine}"));
            return ExitCodes.Success;
        }
        Environment.Out.Write(PartnersView.Render(country, Period(settings), all.AsOf, BasisInput.ToTrade(settings.OriginBasis), settings.Order, all.Partners));
        if (all.NextPageToken.Length > 0)
        {
            Environment.Out.Write(new Text($"More on the next page: add --page-token {all.NextPageToken} (or --all).{System.Environment.NewLine}", new Style(Color.Grey)));
        }
        return ExitCodes.Success;
    }

    private static string Period(PartnersSettings settings) =>
        MonthRangeInput.Describe(settings.FirstMonth?.ToString("yyyy-MM") ?? "", settings.LastMonth?.ToString("yyyy-MM") ?? "");

    public static ListPartnersRequest BuildRequest(PartnersSettings settings)
    {
        var request = new ListPartnersRequest
        {
            Country = CountryInput.Normalize(settings.Country),
            Basis = BasisInput.ToTrade(settings.OriginBasis),
            OrderBy = settings.Order,
            PageSize = settings.PageSize ?? 0,
            PageToken = settings.PageToken ?? "",
            AsOf = settings.AsOfInstant,
        };
        if (settings.FirstMonth is { } first) request.FirstMonth = ProtoValues.Month(first);
        if (settings.LastMonth is { } last) request.LastMonth = ProtoValues.Month(last);
        return request;
    }
}
