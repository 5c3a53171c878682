using EnergyTrade.Cli.Csv;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Input;
using EnergyTrade.Shipments.V1;
using Grpc.Core;

namespace EnergyTrade.Cli.Import;

/// <summary>
/// Sends CSV rows to CreateShipment, a few at a time, and sorts the replies into created and
/// already-present. Each row carries its own request_id, so a re-run, or a retry after UNAVAILABLE,
/// never records a cargo twice: the service answers a repeated request_id with the original shipment.
/// </summary>
public sealed class ShipmentImporter(
    ShipmentService.ShipmentServiceClient client,
    ServiceEndpoint endpoint,
    ServiceCaller caller,
    TimeProvider clock,
    int parallelism = ShipmentImporter.DefaultParallelism)
{
    public const int DefaultParallelism = 4;

    public RetryPolicy Retry { get; init; } = RetryPolicy.Import;

    /// <summary>Told of each retry, so a person watching knows why the progress bar stands still.</summary>
    public Action<RpcException, TimeSpan>? OnRetry { get; init; }

    /// <param name="onRowDone">Called once per row sent (from several threads), e.g. to move a progress bar.</param>
    public async Task<ImportReport> ImportAsync(string file, CsvReadResult csv, Action? onRowDone = null, CancellationToken cancellationToken = default)
    {
        var startedAt = clock.GetUtcNow();
        var serverClock = new ServerClock();
        var rows = csv.Rows;
        var replies = new (Shipment? Shipment, RowOutcome? Failure)[rows.Count];
        ServiceCallException? stoppedBy = null;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = stop.Token },
                async (i, token) =>
                {
                    var row = rows[i];
                    try
                    {
                        var shipment = await caller.CallAsync(endpoint, options => client.CreateShipmentAsync(row.Draft.ToRequest(), options),
                            Retry, token, headers => serverClock.Observe(headers, clock.GetUtcNow()), writes: true, OnRetry);
                        replies[i] = (shipment, null);
                    }
                    catch (ServiceCallException failure) when (StopsTheImport(failure.StatusCode))
                    {
                        Interlocked.CompareExchange(ref stoppedBy, failure, null);
                        await stop.CancelAsync();
                        return;
                    }
                    catch (ServiceCallException failure)
                    {
                        var violations = ErrorFormatter.Violations(failure.Error);
                        IReadOnlyList<FieldProblem> problems = violations.Count > 0
                            ? [.. violations.Select(v => new FieldProblem(CsvColumns.ForField(v.Field), v.Description))]
                            : [new FieldProblem("", ErrorFormatter.Format(failure).Summary)];
                        replies[i] = (null, RowOutcome.Rejected(row.Line, row.Draft.RequestId, problems));
                    }
                    onRowDone?.Invoke();
                });
        }
        catch (OperationCanceledException) when (stoppedBy is not null && !cancellationToken.IsCancellationRequested)
        {
            // Stopped on purpose: the rows not sent are reported as not attempted below.
        }

        // Our start in server time, never later than the truth: a reply created before it was there already.
        var createdFrom = serverClock.ToServerTime(startedAt);
        var outcomes = new List<RowOutcome>(csv.RecordCount);
        outcomes.AddRange(csv.Errors.Select(e => RowOutcome.Rejected(e.Line, e.RequestId, e.Problems)));
        for (var i = 0; i < rows.Count; i++)
        {
            var (shipment, failure) = replies[i];
            outcomes.Add(failure ?? (shipment is null
                ? new RowOutcome(rows[i].Line, rows[i].Draft.RequestId, RowResult.NotAttempted, [])
                : new RowOutcome(rows[i].Line, rows[i].Draft.RequestId,
                    shipment.CreateTime is { } created && created.ToDateTimeOffset() < createdFrom ? RowResult.AlreadyPresent : RowResult.Created,
                    [], shipment.Name)));
        }
        outcomes.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new ImportReport(file, outcomes, clock.GetUtcNow() - startedAt, stoppedBy is null ? null : ErrorFormatter.Format(stoppedBy));
    }

    /// <summary>Failures that every further row would meet too, so sending more only delays the message.</summary>
    private static bool StopsTheImport(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.DeadlineExceeded;
}
