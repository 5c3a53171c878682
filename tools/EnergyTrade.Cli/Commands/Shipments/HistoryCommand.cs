using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>shipments history: every version of one shipment, every page, as one table or one ListShipmentRevisionsResponse.</summary>
public sealed class HistoryCommand(CliEnvironment environment) : ServiceCommand<GetSettings>(environment)
{
    protected override async Task<int> RunAsync(GetSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var client = clients.Shipments(Scopes.ShipmentsRead);
        // A shipment has a handful of versions: the whole history, rather than paging options.
        var all = await Pages.ReadAsync(new ListShipmentRevisionsRequest { Name = settings.ResourceName }, all: true,
            r => clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => client.ListShipmentRevisionsAsync(r, o), RetryPolicy.Interactive, cancellationToken),
            page => page.NextPageToken, (r, token) => r.PageToken = token,
            (merged, page) =>
            {
                merged.Revisions.AddRange(page.Revisions);
                merged.NextPageToken = page.NextPageToken;
            });

        if (options.Json) WriteJson(all);
        else Environment.Out.Write(RevisionsView.Render(settings.ResourceName, all.Revisions));
        return ExitCodes.Success;
    }
}
