using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Shipments.V1;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>shipments cancel: the shipment stays on record but counts in no total any more. Cancelling twice changes nothing.</summary>
public sealed class CancelCommand(CliEnvironment environment) : ServiceCommand<CancelSettings>(environment)
{
    public const string OutcomeUnknown = "The shipment may have been cancelled all the same; repeating the command is safe.";

    protected override async Task<int> RunAsync(CancelSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var client = clients.Shipments(Scopes.ShipmentsWrite);
        var request = new CancelShipmentRequest { Name = settings.ResourceName, Version = settings.Version ?? 0, Reason = settings.Reason?.Trim() ?? "" };
        var startedAt = Environment.Clock.GetUtcNow();
        var serverClock = new ServerClock();
        // Cancelling a cancelled shipment returns it as it is, so a retry can never do harm.
        var shipment = await clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => client.CancelShipmentAsync(request, o),
            RetryPolicy.Interactive, cancellationToken, headers => serverClock.Observe(headers, Environment.Clock.GetUtcNow()),
            writes: true, outcomeUnknown: OutcomeUnknown);

        if (options.Json)
        {
            WriteJson(shipment);
            return ExitCodes.Success;
        }
        // The service answers a repeat with the shipment as the first cancellation left it.
        var before = shipment.UpdateTime is { } updated && updated.ToDateTimeOffset() < serverClock.ToServerTime(startedAt);
        Environment.Out.Write(new Text(before
            ? $"{shipment.Name} was already cancelled (version {shipment.Version}); nothing changed.{System.Environment.NewLine}"
            : $"Cancelled {shipment.Name} (now version {shipment.Version}). It stays on record and counts in no total; Trade applies the change asynchronously.{System.Environment.NewLine}"));
        Environment.Out.Write(ShipmentView.Detail(shipment));
        return ExitCodes.Success;
    }
}
