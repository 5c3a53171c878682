using EnergyTrade.Cli.Csv;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Import;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using Grpc.Core;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>
/// shipments import: records every row of a CSV file. Safe to run again: rows already recorded
/// come back as "already present" and nothing is counted twice.
/// </summary>
public sealed class ImportCommand(CliEnvironment environment) : ServiceCommand<ImportSettings>(environment)
{
    protected override async Task<int> RunAsync(ImportSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var csv = Read(settings.File);
        if (csv.FileError is { } fileError)
        {
            ErrorView.Write(Environment.Error, new FormattedError(
                $"{settings.File} line {fileError.Line}: the file cannot be imported.", [.. fileError.Problems.Select(p => p.ToString())]));
            return ExitCodes.Failure;
        }

        ImportReport report;
        if (settings.DryRun)
        {
            report = new ImportReport(settings.File, [.. csv.Errors.Select(e => RowOutcome.Rejected(e.Line, e.RequestId, e.Problems))
                .Concat(csv.Rows.Select(r => new RowOutcome(r.Line, r.Draft.RequestId, RowResult.NotAttempted, [])))
                .OrderBy(r => r.Line)], TimeSpan.Zero) { DryRun = true };
        }
        else if (options.Json || csv.Rows.Count == 0)
        {
            report = await Importer(settings, clients).ImportAsync(settings.File, csv, cancellationToken: cancellationToken);
        }
        else
        {
            report = await WithProgressAsync(settings, clients, csv, cancellationToken);
        }

        if (options.Json) Environment.RawOut.WriteLine(ImportReportJson.Format(report));
        else Environment.Out.Write(ImportReportView.Render(report));
        if (report.StoppedBy is { } stopped)
        {
            ErrorView.Write(Environment.Error, stopped);
            Environment.Error.Write(new Text($"The import stopped early; running it again is safe: rows already recorded are not recorded twice.{System.Environment.NewLine}"));
        }
        if (settings.DryRun) return report.Rejected == 0 ? ExitCodes.Success : ExitCodes.Failure;
        return report.Complete ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static CsvReadResult Read(string file)
    {
        try
        {
            return CsvShipmentReader.Read(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            throw new UsageException($"Cannot read {file}: {e.Message}");
        }
    }

    private ShipmentImporter Importer(ImportSettings settings, ServiceClients clients, Action<RpcException, TimeSpan>? onRetry = null) =>
        new(clients.Shipments(Scopes.ShipmentsWrite), clients.ShipmentsEndpoint, clients.Caller, Environment.Clock, settings.Parallel)
        {
            OnRetry = onRetry,
        };

    private async Task<ImportReport> WithProgressAsync(ImportSettings settings, ServiceClients clients, CsvReadResult csv, CancellationToken cancellationToken)
    {
        var progress = Environment.Out.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RowRateColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn());
        return await progress.StartAsync(async context =>
        {
            var name = Markup.Escape(Path.GetFileName(settings.File));
            var task = context.AddTask(name, maxValue: csv.Rows.Count);
            var importer = Importer(settings, clients, (error, wait) =>
                task.Description = $"{name} [yellow]({Markup.Escape(error.StatusCode.ToString())}, retrying in {wait.TotalSeconds:0.#} s)[/]");
            var report = await importer.ImportAsync(settings.File, csv, () =>
            {
                task.Description = name;
                task.Increment(1);
            }, cancellationToken);
            task.StopTask();
            return report;
        });
    }
}
