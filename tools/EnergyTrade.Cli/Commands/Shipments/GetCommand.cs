using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>shipments get: one shipment by name.</summary>
public sealed class GetCommand(CliEnvironment environment) : ServiceCommand<GetSettings>(environment)
{
    protected override async Task<int> RunAsync(GetSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var client = clients.Shipments(Scopes.ShipmentsRead);
        var request = new GetShipmentRequest { Name = settings.ResourceName };
        var shipment = await clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => client.GetShipmentAsync(request, o),
            RetryPolicy.Interactive, cancellationToken);
        if (options.Json) WriteJson(shipment);
        else Environment.Out.Write(ShipmentView.Detail(shipment));
        return ExitCodes.Success;
    }
}
