using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Shipments.V1;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>
/// shipments list: one page, or with --all every page, newest load date first. --all writes each page
/// as it arrives (a table per page, or with --output json one Shipment per line) and keeps none, so
/// listing millions of shipments takes no more memory than listing one page.
/// </summary>
public sealed class ListCommand(CliEnvironment environment) : ServiceCommand<ListSettings>(environment)
{
    protected override async Task<int> RunAsync(ListSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var client = clients.Shipments(Scopes.ShipmentsRead);
        var request = BuildRequest(settings);
        var pages = Pages.EachAsync(request, settings.All,
            r => clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => client.ListShipmentsAsync(r, o), RetryPolicy.Interactive, cancellationToken),
            page => page.NextPageToken, (r, token) => r.PageToken = token);

        long count = 0;
        ListShipmentsResponse? last = null;
        await foreach (var page in pages)
        {
            count += page.Shipments.Count;
            last = page;
            if (options.Json && !settings.All)
            {
                // One page: the ListShipmentsResponse itself, next_page_token included.
                WriteJson(page);
            }
            else if (options.Json)
            {
                // JSON Lines, as trade watch writes: every page merged into one document would have to be held whole.
                foreach (var shipment in page.Shipments) Environment.RawOut.WriteLine(JsonOutput.FormatLine(shipment));
            }
            else if (page.Shipments.Count > 0)
            {
                Environment.Out.Write(ShipmentView.List(page.Shipments));
            }
        }
        if (options.Json) return ExitCodes.Success;

        if (count == 0)
        {
            Environment.Out.Write(new Text("No shipments match." + System.Environment.NewLine));
            return ExitCodes.Success;
        }
        Environment.Out.Write(new Text($"{Numbers.Count(count)} shipments.{System.Environment.NewLine}"));
        if (!settings.All && last!.NextPageToken.Length > 0)
        {
            Environment.Out.Write(new Text($"More on the next page: add --page-token {last.NextPageToken} (or --all).{System.Environment.NewLine}", new Style(Color.Grey)));
        }
        return ExitCodes.Success;
    }

    /// <summary>With --all and no --page-size, the largest pages the service gives: fewer calls for the same rows.</summary>
    public static ListShipmentsRequest BuildRequest(ListSettings settings) => settings.ApplyTo(new ListShipmentsRequest
    {
        PageSize = settings.PageSize ?? (settings.All ? ListSettings.MaxPageSize : 0),
        PageToken = settings.PageToken ?? "",
    });
}
