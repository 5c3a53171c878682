using EnergyTrade.Cli.Csv;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Import;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>
/// shipments import: records every row of a CSV file through ImportShipments, reading the file as it
/// goes, so its size does not matter. Safe to run again: rows already recorded come back as "already
/// present" and nothing is counted twice; an import stopped part-way resumes after its last settled line.
/// </summary>
public sealed class ImportCommand(CliEnvironment environment) : ServiceCommand<ImportSettings>(environment)
{
    protected override async Task<int> RunAsync(ImportSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var file = settings.File;
        using var stream = Open(file);
        using var text = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        var records = CsvShipmentReader.Records(text, out var fileError);
        if (fileError is not null)
        {
            ErrorView.Write(Environment.Error, new FormattedError(
                $"{file} line {fileError.Line}: the file cannot be imported.", [.. fileError.Problems.Select(p => p.ToString())]));
            return ExitCodes.Failure;
        }

        // A dry run records nothing, so it neither resumes nor leaves anything to resume from, and it never
        // touches a real import's checkpoint or errors file.
        if (settings.Restart && !settings.DryRun) ImportCheckpoint.Delete(file);
        var checkpoint = settings.DryRun ? null : ImportCheckpoint.Load(file);
        var errorsPath = settings.Errors ?? ImportErrorsFile.PathFor(file, settings.DryRun);
        if (checkpoint is not null) Environment.Error.Write(new Text($"Resuming the import of {file} after line {Numbers.Count(checkpoint.SettledThroughLine)}, " +
            $"where an earlier run stopped ({Numbers.Count(checkpoint.Tally.Rows)} rows settled). --restart imports from the first line.{System.Environment.NewLine}"));

        // A fresh import's list of rejections replaces any earlier one, which no longer describes the file's state.
        using var errors = OpenErrorsFile(errorsPath, continueThroughLine: checkpoint?.SettledThroughLine);
        var checkpoints = new Checkpoints(Environment, file, errors, enabled: !settings.DryRun);
        var rejections = new List<RowOutcome>();
        var progress = new ImportProgress(Environment, file, stream, checkpoint?.Tally.Rows ?? 0);
        var importer = new ShipmentImporter(clients.Shipments(Scopes.ShipmentsWrite), clients.ShipmentsEndpoint, Environment.Clock)
        {
            ChunkSize = settings.ChunkSize,
            Window = settings.Window,
            ValidateOnly = settings.DryRun,
            Observer = new ImportObserver
            {
                Rejected = row =>
                {
                    errors.Add(row);
                    if (rejections.Count < ImportReport.RejectionsShown) rejections.Add(row);
                },
                Settled = (tally, line) =>
                {
                    progress.Settled(tally, line);
                    checkpoints.Settled(line, tally);
                },
                Retrying = progress.Retrying,
            },
        };

        var startedAt = Environment.Clock.GetUtcNow();
        var run = await progress.ShowAsync(() => importer.ImportAsync(progress.Reading(records), checkpoint?.SettledThroughLine ?? 0, checkpoint?.Tally ?? new ImportTally(),
            cancellationToken));
        checkpoints.Ended(run);

        var report = new ImportReport(file, run.Tally, Environment.Clock.GetUtcNow() - startedAt)
        {
            DryRun = settings.DryRun,
            ResumedAfterLine = checkpoint?.SettledThroughLine,
            InterruptedAfterLine = run.Interrupted ? run.SettledThroughLine : null,
            NotAttempted = run.NotAttempted,
            StoppedBy = run.StoppedBy is { } stopped ? ErrorFormatter.Format(WithCredentials(stopped, clients)) : null,
            ErrorsFile = errors.HasRows ? errorsPath : null,
            Rejections = rejections,
        };
        if (options.Json) Environment.RawOut.WriteLine(ImportReportJson.Format(report));
        else Environment.Out.Write(ImportReportView.Render(report));

        if (report.StoppedBy is { } failure)
        {
            ErrorView.Write(Environment.Error, failure);
            Environment.Error.Write(new Text(
                $"The import stopped after line {Numbers.Count(run.SettledThroughLine)}. Run it again to resume there; rows already recorded are not recorded twice.{System.Environment.NewLine}"));
            return ExitCodes.Failure;
        }
        if (run.Interrupted)
        {
            Environment.Error.Write(new Text(
                $"Interrupted: every row up to line {Numbers.Count(run.SettledThroughLine)} is settled. Run the same command again to resume after it.{System.Environment.NewLine}"));
            return ExitCodes.Cancelled;
        }
        return report.Tally.Rejected == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static FileStream Open(string file)
    {
        try
        {
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            throw new UsageException($"Cannot read {file}: {e.Message}");
        }
    }

    private static ImportErrorsFile OpenErrorsFile(string path, int? continueThroughLine)
    {
        try
        {
            return new ImportErrorsFile(path, continueThroughLine);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot write the list of rejected rows to {path}: {e.Message} Give --errors a file you can write.");
        }
    }

    /// <summary>A refused import names what it carried, as a refused command does (<see cref="ServiceCommand{TSettings}"/>).</summary>
    private static ServiceCallException WithCredentials(ServiceCallException stopped, ServiceClients clients)
    {
        if (stopped.StatusCode is global::Grpc.Core.StatusCode.Unauthenticated or global::Grpc.Core.StatusCode.PermissionDenied) stopped.Credentials ??= clients.Tokens.Describe();
        return stopped;
    }
}
