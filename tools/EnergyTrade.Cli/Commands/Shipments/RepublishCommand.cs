using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Input;
using EnergyTrade.Cli.Output;
using EnergyTrade.Shipments.V1;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>
/// shipments republish: writes the current snapshot of every matching shipment to the outbox again,
/// so a consumer (Trade) can rebuild from nothing. Harmless to repeat: Trade ignores versions it holds.
/// </summary>
public sealed class RepublishCommand(CliEnvironment environment) : ServiceCommand<RepublishSettings>(environment)
{
    public const string OutcomeUnknown =
        "Some snapshots may have been written all the same; republishing again is harmless, as Trade ignores versions it already holds.";

    protected override async Task<int> RunAsync(RepublishSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var client = clients.Shipments(Scopes.ShipmentsWrite);
        var request = BuildRequest(settings);
        var response = await clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => client.RepublishShipmentsAsync(request, o),
            RetryPolicy.Interactive, cancellationToken, writes: true, outcomeUnknown: OutcomeUnknown);

        if (options.Json) WriteJson(response);
        if (response.RepublishedCount == 0)
        {
            if (!options.Json) Environment.Out.Write(new Text($"No shipments match; nothing was republished.{System.Environment.NewLine}"));
            return ExitCodes.Success;
        }
        if (!options.Json)
        {
            var count = response.RepublishedCount;
            Environment.Out.Write(new Text($"Republished {Numbers.Count(count)} {(count == 1 ? "shipment" : "shipments")}: " +
                $"{(count == 1 ? "its current snapshot is" : "their current snapshots are")} in the outbox.{System.Environment.NewLine}"));
        }
        // On standard error, so it reaches a person even when the JSON goes to a script.
        ErrorView.Warn(Environment.Error, "Publishing is asynchronous: Trade applies the snapshots over the next moments, not yet. " +
            "`energytrade reconcile COUNTRY PARTNER --wait 60` tells when it has caught up.");
        return ExitCodes.Success;
    }

    public static RepublishShipmentsRequest BuildRequest(RepublishSettings settings)
    {
        var request = new RepublishShipmentsRequest
        {
            ExporterCountry = CountryInput.Normalize(settings.Exporter),
            ImporterCountry = CountryInput.Normalize(settings.Importer),
            OriginCountry = CountryInput.Normalize(settings.Origin),
        };
        if (settings.FirstLoadDate is { } first) request.FirstLoadDate = ProtoValues.Date(first);
        if (settings.LastLoadDate is { } last) request.LastLoadDate = ProtoValues.Date(last);
        return request;
    }
}
