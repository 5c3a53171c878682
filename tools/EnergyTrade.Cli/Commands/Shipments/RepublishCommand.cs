using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Shipments.V1;
using Google.LongRunning;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>
/// shipments republish: starts the admin operation that writes the current snapshot of every matching
/// shipment to the outbox again, so a consumer (Trade) can rebuild from nothing, and follows it with a
/// progress bar; --cancel stops one. Harmless to repeat: Trade ignores versions it holds.
/// </summary>
public sealed class RepublishCommand(CliEnvironment environment) : ServiceCommand<RepublishSettings>(environment)
{
    public const string OutcomeUnknown =
        "A republish may have started all the same; starting another is harmless, as Trade ignores versions it already holds.";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    protected override async Task<int> RunAsync(RepublishSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var operations = clients.ShipmentsOperations(Scopes.ShipmentsAdmin);
        if (settings.Cancel is { } name)
        {
            await clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => operations.CancelOperationAsync(new CancelOperationRequest { Name = name }, o),
                RetryPolicy.Interactive, cancellationToken, writes: true);
            return Report(await GetAsync(clients, operations, name, cancellationToken), options);
        }

        var client = clients.Shipments(Scopes.ShipmentsAdmin);
        var request = BuildRequest(settings);
        var operation = await clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => client.StartShipmentRepublishAsync(request, o),
            RetryPolicy.Interactive, cancellationToken, writes: true, outcomeUnknown: OutcomeUnknown);
        if (settings.NoWait)
        {
            if (options.Json) WriteJson(operation);
            else Environment.Out.Write(new Text($"Started {operation.Name}; it runs in Shipments. Stop it with: energytrade shipments republish --cancel {operation.Name}{System.Environment.NewLine}"));
            return ExitCodes.Success;
        }

        try
        {
            operation = options.Json
                ? await FollowAsync(clients, operations, operation, _ => { }, cancellationToken)
                : await Environment.Error.Progress().AutoClear(false).HideCompleted(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RowRateColumn(),
                        new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask("republishing", maxValue: Math.Max(1, Metadata(operation).TotalCount));
                        var done = await FollowAsync(clients, operations, operation, m =>
                        {
                            task.MaxValue = Math.Max(1, Math.Max(m.TotalCount, m.RepublishedCount));
                            task.Value = m.RepublishedCount;
                        }, cancellationToken);
                        task.StopTask();
                        return done;
                    });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ErrorView.Warn(Environment.Error, $"Stopped following {operation.Name}; it goes on in Shipments. Stop it with: energytrade shipments republish --cancel {operation.Name}");
            throw;
        }
        return Report(operation, options);
    }

    /// <summary>Polls the operation until it is done, passing each state's progress on.</summary>
    private async Task<Operation> FollowAsync(ServiceClients clients, Operations.OperationsClient operations, Operation operation,
        Action<RepublishShipmentsMetadata> progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            progress(Metadata(operation));
            if (operation.Done) return operation;
            await Environment.Delay(PollInterval, cancellationToken);
            operation = await GetAsync(clients, operations, operation.Name, cancellationToken);
        }
    }

    private static Task<Operation> GetAsync(ServiceClients clients, Operations.OperationsClient operations, string name, CancellationToken cancellationToken) =>
        clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => operations.GetOperationAsync(new GetOperationRequest { Name = name }, o),
            RetryPolicy.Interactive, cancellationToken);

    private int Report(Operation operation, CliOptions options)
    {
        var metadata = Metadata(operation);
        var count = metadata.RepublishedCount;
        if (options.Json) WriteJson(operation);
        if (!operation.Done)
        {
            if (!options.Json) Environment.Out.Write(new Text($"{operation.Name} is running: {Numbers.Count(count)} of about {Numbers.Count(metadata.TotalCount)} shipments so far.{System.Environment.NewLine}"));
            return ExitCodes.Success;
        }
        if (operation.Error is { } error)
        {
            ErrorView.Write(Environment.Error, new FormattedError($"{operation.Name} ended: {error.Message}", []));
            return ExitCodes.Failure;
        }
        if (count == 0)
        {
            if (!options.Json) Environment.Out.Write(new Text($"No shipments match; nothing was republished.{System.Environment.NewLine}"));
            return ExitCodes.Success;
        }
        if (!options.Json)
        {
            Environment.Out.Write(new Text($"Republished {Numbers.Count(count)} {(count == 1 ? "shipment" : "shipments")}: " +
                $"{(count == 1 ? "its current snapshot is" : "their current snapshots are")} in the outbox.{System.Environment.NewLine}"));
        }
        // On standard error, so it reaches a person even when the JSON goes to a script.
        ErrorView.Warn(Environment.Error, "Publishing is asynchronous: Trade applies the snapshots over the next moments, not yet. " +
            "`energytrade reconcile COUNTRY PARTNER --wait 60` tells when it has caught up.");
        return ExitCodes.Success;
    }

    private static RepublishShipmentsMetadata Metadata(Operation operation) =>
        operation.Metadata?.TryUnpack<RepublishShipmentsMetadata>(out var m) == true ? m : new RepublishShipmentsMetadata();

    public static RepublishShipmentsRequest BuildRequest(RepublishSettings settings) => settings.ApplyTo(new RepublishShipmentsRequest());
}
