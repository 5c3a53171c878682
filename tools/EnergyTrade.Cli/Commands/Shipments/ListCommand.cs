using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Input;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Shipments.V1;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>shipments list: one page, or with --all every page, newest load date first.</summary>
public sealed class ListCommand(CliEnvironment environment) : ServiceCommand<ListSettings>(environment)
{
    protected override async Task<int> RunAsync(ListSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var client = clients.Shipments(Scopes.ShipmentsRead);
        var request = BuildRequest(settings);
        var all = await Pages.ReadAsync(request, settings.All,
            r => clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => client.ListShipmentsAsync(r, o), RetryPolicy.Interactive, cancellationToken),
            page => page.NextPageToken, (r, token) => r.PageToken = token,
            (merged, page) =>
            {
                merged.Shipments.AddRange(page.Shipments);
                merged.NextPageToken = page.NextPageToken;
            });

        if (options.Json)
        {
            // With --all the pages are merged into one response, whose next_page_token is then empty.
            WriteJson(all);
            return ExitCodes.Success;
        }
        if (all.Shipments.Count == 0)
        {
            Environment.Out.Write(new Text("No shipments match." + System.Environment.NewLine));
            return ExitCodes.Success;
        }
        Environment.Out.Write(ShipmentView.List(all.Shipments));
        Environment.Out.Write(new Text($"{Numbers.Count(all.Shipments.Count)} shipments.{System.Environment.NewLine}"));
        if (all.NextPageToken.Length > 0)
        {
            Environment.Out.Write(new Text($"More on the next page: add --page-token {all.NextPageToken} (or --all).{System.Environment.NewLine}", new Style(Color.Grey)));
        }
        return ExitCodes.Success;
    }

    public static ListShipmentsRequest BuildRequest(ListSettings settings)
    {
        var request = new ListShipmentsRequest
        {
            ExporterCountry = CountryInput.Normalize(settings.Exporter),
            ImporterCountry = CountryInput.Normalize(settings.Importer),
            OriginCountry = CountryInput.Normalize(settings.Origin),
            PageSize = settings.PageSize ?? 0,
            PageToken = settings.PageToken ?? "",
        };
        if (settings.FirstLoadDate is { } first) request.FirstLoadDate = ProtoValues.Date(first);
        if (settings.LastLoadDate is { } last) request.LastLoadDate = ProtoValues.Date(last);
        return request;
    }
}
