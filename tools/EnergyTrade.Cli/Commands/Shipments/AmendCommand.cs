using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Shipments.V1;
using Grpc.Core;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>
/// shipments amend: corrects the fields given (UpdateShipment with exactly those in its update_mask)
/// and shows each before and after. The shipment is read first, for the "before" and for the parts of
/// the quantity left out; the change is sent against the version read (or --version), so the figures
/// shown are exactly what changed.
/// </summary>
public sealed class AmendCommand(CliEnvironment environment) : ServiceCommand<AmendSettings>(environment)
{
    /// <summary>How often to re-read and re-apply when someone else changed the shipment in between (without --version).</summary>
    public const int MaxConflicts = 3;

    public const string OutcomeUnknown =
        "The amendment may have been applied all the same: `energytrade shipments get NAME` shows the current version, and repeating the command is safe.";

    protected override async Task<int> RunAsync(AmendSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var reader = clients.Shipments(Scopes.ShipmentsRead);
        var writer = clients.Shipments(Scopes.ShipmentsWrite);
        var get = new GetShipmentRequest { Name = settings.ResourceName };
        for (var attempt = 1; ; attempt++)
        {
            var before = await clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => reader.GetShipmentAsync(get, o),
                RetryPolicy.Interactive, cancellationToken);
            var request = settings.ToRequest(before, settings.Version ?? before.Version);
            Shipment after;
            try
            {
                // UNAVAILABLE changed nothing, and a repeat carries the same version: retrying cannot apply it twice.
                after = await clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => writer.UpdateShipmentAsync(request, o),
                    RetryPolicy.Interactive, cancellationToken, writes: true, outcomeUnknown: OutcomeUnknown);
            }
            catch (ServiceCallException conflict) when (conflict.StatusCode == StatusCode.Aborted && settings.Version is null && attempt < MaxConflicts)
            {
                // Changed by someone else since it was read: read it again and apply the change to that.
                continue;
            }

            if (options.Json) WriteJson(after);
            else Environment.Out.Write(AmendmentView.Render(before, after, settings.MaskPaths));
            return ExitCodes.Success;
        }
    }
}
