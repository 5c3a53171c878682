using EnergyTrade.Cli.Csv;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Shipments.V1;
using Grpc.Core;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Shipments;

/// <summary>
/// shipments export: every matching shipment, as CSV the import reads or as NDJSON, streamed from
/// ExportShipments (one snapshot on the service's side) and written page by page, so the CLI holds one
/// page at a time however large the export. --timeout bounds each wait for the next page, not the
/// whole export. Not retried: a second attempt would start a new snapshot over output already written.
/// </summary>
public sealed class ExportCommand(CliEnvironment environment) : ServiceCommand<ExportSettings>(environment)
{
    protected override async Task<int> RunAsync(ExportSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var request = settings.ApplyTo(new ExportShipmentsRequest());
        var client = clients.Shipments(Scopes.ShipmentsRead);
        // A file is written beside its name and moved into place when complete, so a failed or
        // cancelled export never leaves a truncated file that looks like a whole one.
        var partial = settings.File is { } file ? file + ".partial" : null;
        TextWriter output;
        try
        {
            output = partial is null ? Environment.RawOut : new StreamWriter(partial, append: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot write {partial}: {e.Message} Give a --file in a folder you can write to.");
        }

        var complete = false;
        long written = 0;
        try
        {
            using var rows = new ShipmentRows(output, settings.ExportFormat);
            var showProgress = Environment.ErrorIsTerminal && (partial is not null || !Environment.OutIsTerminal);
            var count = showProgress
                ? await WithProgressAsync(onPage => ExportAsync(client, request, rows, options.Timeout, clients, cancellationToken, n =>
                {
                    written += n;
                    onPage(n);
                }))
                : await ExportAsync(client, request, rows, options.Timeout, clients, cancellationToken, n => written += n);
            rows.Flush();
            complete = true;
            if (settings.File is not null)
            {
                Environment.Error.Write(new Text($"Exported {Numbers.Count(count)} shipments to {settings.File}.{System.Environment.NewLine}"));
            }
            return ExitCodes.Success;
        }
        catch (ServiceCallException) when (partial is null && written > 0)
        {
            // Rows already went down the pipe; whoever reads them must not take them for the whole export.
            ErrorView.Warn(Environment.Error, $"The export stopped after {Numbers.Count(written)} shipments, so the output is incomplete. Run it again: a new export reads a new snapshot.");
            throw;
        }
        finally
        {
            if (partial is not null)
            {
                await output.DisposeAsync();
                if (complete) File.Move(partial, settings.File!, overwrite: true);
                else File.Delete(partial);
            }
            else
            {
                await output.FlushAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<long> ExportAsync(ShipmentService.ShipmentServiceClient client, ExportShipmentsRequest request, ShipmentRows rows,
        TimeSpan timeout, ServiceClients clients, CancellationToken cancellationToken, Action<int> onPage)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = client.ExportShipments(request, new CallOptions(cancellationToken: idle.Token));
        long count = 0;
        try
        {
            while (true)
            {
                idle.CancelAfter(timeout);
                bool more;
                try
                {
                    more = await call.ResponseStream.MoveNext(idle.Token);
                }
                catch (Exception e) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                    && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
                {
                    throw new RpcException(new global::Grpc.Core.Status(StatusCode.DeadlineExceeded,
                        $"No page came within {timeout.TotalSeconds:0.#} s (--timeout) after {count} shipments."));
                }
                // Writing may wait on a slow pipe; that is not the service's time.
                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                if (!more) return count;
                var page = call.ResponseStream.Current;
                foreach (var shipment in page.Shipments) rows.Write(shipment);
                count += page.Shipments.Count;
                onPage(page.Shipments.Count);
            }
        }
        catch (RpcException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceCallException(clients.ShipmentsEndpoint, timeout, attempts: 1, error);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Cancelled)
        {
            throw new OperationCanceledException("Cancelled.", error, cancellationToken);
        }
    }

    /// <summary>"12,000 rows, 95,000.0 rows/s" on standard error while the rows go elsewhere, as the import shows its progress.</summary>
    private async Task<long> WithProgressAsync(Func<Action<int>, Task<long>> export)
    {
        var progress = Environment.Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new RowRateColumn(), new ElapsedTimeColumn(), new SpinnerColumn());
        return await progress.StartAsync(async context =>
        {
            var task = context.AddTask("export");
            // No total is known: the count grows without a bar (Spectre caps a task's value at its maximum).
            task.IsIndeterminate = true;
            task.MaxValue = double.MaxValue;
            var count = await export(rows => task.Increment(rows));
            task.StopTask();
            return count;
        });
    }

    /// <summary>The rows in the chosen format: CSV the import reads back, or one Shipment per line.</summary>
    private sealed class ShipmentRows : IDisposable
    {
        private readonly TextWriter _output;
        private readonly CsvShipmentWriter? _csv;

        public ShipmentRows(TextWriter output, ExportFormat format)
        {
            _output = output;
            _csv = format == ExportFormat.Csv ? new CsvShipmentWriter(output) : null;
        }

        public void Write(Shipment shipment)
        {
            if (_csv is not null) _csv.Write(shipment);
            else _output.WriteLine(JsonOutput.FormatLine(shipment));
        }

        public void Flush()
        {
            _csv?.Flush();
            _output.Flush();
        }

        public void Dispose() => _csv?.Dispose();
    }
}
