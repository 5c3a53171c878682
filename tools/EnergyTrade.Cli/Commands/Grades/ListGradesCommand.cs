using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.Cli.Commands.Grades;

/// <summary>grades list: the whole catalogue, every page, as one table or one ListGradesResponse.</summary>
public sealed class ListGradesCommand(CliEnvironment environment) : ServiceCommand<GlobalSettings>(environment)
{
    protected override async Task<int> RunAsync(GlobalSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var client = clients.Shipments(Scopes.ShipmentsRead);
        // A few dozen grades: paging options would only get in the way of reading them.
        var all = await Pages.ReadAsync(new ListGradesRequest(), all: true,
            r => clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => client.ListGradesAsync(r, o), RetryPolicy.Interactive, cancellationToken),
            page => page.NextPageToken, (r, token) => r.PageToken = token,
            (merged, page) =>
            {
                merged.Grades.AddRange(page.Grades);
                merged.NextPageToken = page.NextPageToken;
            });

        if (options.Json) WriteJson(all);
        else Environment.Out.Write(GradesView.Render(all.Grades));
        return ExitCodes.Success;
    }
}
