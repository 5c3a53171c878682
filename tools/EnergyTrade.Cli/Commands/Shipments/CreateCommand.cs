using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>shipments create: records one shipment.</summary>
public sealed class CreateCommand(CliEnvironment environment) : ServiceCommand<CreateSettings>(environment)
{
    protected override async Task<int> RunAsync(CreateSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        // Always send a request_id, so the CLI's own retries after UNAVAILABLE can never record the cargo twice.
        var request = settings.ToDraft(() => Guid.NewGuid().ToString()).ToRequest();
        var client = clients.Shipments(Scopes.ShipmentsWrite);
        var startedAt = Environment.Clock.GetUtcNow();
        var serverClock = new ServerClock();
        var shipment = await clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => client.CreateShipmentAsync(request, o),
            RetryPolicy.Interactive, cancellationToken, headers => serverClock.Observe(headers, Environment.Clock.GetUtcNow()), writes: true);

        if (options.Json)
        {
            WriteJson(shipment);
            return ExitCodes.Success;
        }
        var existed = shipment.CreateTime is { } created && created.ToDateTimeOffset() < serverClock.ToServerTime(startedAt);
        Environment.Out.Write(new Text(existed
            ? $"request_id {request.RequestId} was used before: this is the shipment recorded then, unchanged.{System.Environment.NewLine}"
            : $"Recorded {shipment.Name} (request_id {request.RequestId}).{System.Environment.NewLine}"));
        Environment.Out.Write(ShipmentView.Detail(shipment));
        return ExitCodes.Success;
    }
}
