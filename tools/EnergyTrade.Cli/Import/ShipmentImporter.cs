using EnergyTrade.Cli.Csv;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Input;
using EnergyTrade.Contracts;
using EnergyTrade.Shipments.V1;
using Grpc.Core;
using Outcome = EnergyTrade.Shipments.V1.BatchCreateResult.Types.Outcome;

namespace EnergyTrade.Cli.Import;

/// <summary>Told, in line order, of what becomes of the file's rows.</summary>
public sealed record ImportObserver
{
    /// <summary>A row that was not recorded, and why.</summary>
    public Action<RowOutcome>? Rejected { get; init; }
    /// <summary>Every line up to this one is settled; the counts so far.</summary>
    public Action<ImportTally, int>? Settled { get; init; }
    /// <summary>The stream broke and is opened again after this wait, so a person watching knows why nothing moves.</summary>
    public Action<RpcException, TimeSpan>? Retrying { get; init; }
}

/// <summary>How an import ended: its counts, how far the file is settled, and what stopped it early.</summary>
public sealed record ImportRun(ImportTally Tally, int SettledThroughLine, bool Finished, bool Interrupted, long NotAttempted, ServiceCallException? StoppedBy);

/// <summary>
/// Sends a file's rows to ImportShipments in chunks, a window of them unanswered at a time, and settles
/// each chunk's rows in file order as its answer arrives. Every row carries its own request_id, so a
/// broken stream is opened again and its unanswered chunks sent again, and a re-run of the same file
/// records nothing twice: what was recorded comes back as already present.
/// </summary>
public sealed class ShipmentImporter(ShipmentService.ShipmentServiceClient client, ServiceEndpoint endpoint, TimeProvider clock)
{
    /// <summary>Measured (docs/benchmarks.md): chunks of 1,000 cost the service ~75% more CPU per row than chunks of 250.</summary>
    public const int DefaultChunkSize = 250;
    public const int DefaultWindow = 8;
    /// <summary>
    /// A chunk closes at this many encoded bytes whatever its row count: the services take requests of up
    /// to 256 KiB, and 1,000 rows with long names and ports would not fit.
    /// </summary>
    public const int MaxChunkBytes = 192 * 1024;

    public int ChunkSize { get; init; } = DefaultChunkSize;
    /// <summary>Chunks sent and not yet answered, at most: the rows the CLI holds, and how far it runs ahead of the service.</summary>
    public int Window { get; init; } = DefaultWindow;
    public bool ValidateOnly { get; init; }
    public RetryPolicy Retry { get; init; } = RetryPolicy.Import;
    public ImportObserver Observer { get; init; } = new();

    /// <param name="records">The file's records, in order.</param>
    /// <param name="resumeAfterLine">Lines up to this one were settled by an earlier run: read past, not sent, not counted.</param>
    /// <param name="tally">The counts to continue from (an earlier run's, when resuming).</param>
    /// <param name="stop">Stop sending (Ctrl-C): what was sent is still answered and settled, then the import ends.</param>
    public async Task<ImportRun> ImportAsync(IEnumerable<CsvRecord> records, int resumeAfterLine, ImportTally tally, CancellationToken stop)
    {
        using var file = records.GetEnumerator();
        var state = new State(file, resumeAfterLine, tally, Observer);
        var pipeline = Retry.Pipeline(clock, Observer.Retrying);
        var attempts = 0;
        try
        {
            while (!state.Done(stop))
            {
                // Each stretch of progress gets the whole retry budget: a long import may ride out several restarts.
                var settledBefore = state.SettledChunks;
                attempts = 0;
                await pipeline.ExecuteAsync(async _ =>
                {
                    attempts++;
                    try
                    {
                        await StreamAsync(state, stop);
                    }
                    catch (RpcException broken) when (RetryPolicy.IsTransient(broken) && state.SettledChunks > settledBefore && !stop.IsCancellationRequested)
                    {
                        Observer.Retrying?.Invoke(broken, TimeSpan.Zero);
                    }
                }, stop);
            }
        }
        catch (RpcException error)
        {
            var failure = new ServiceCallException(endpoint, Timeout.InfiniteTimeSpan, attempts, error, writes: true);
            return state.Result(interrupted: false, failure);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl-C while waiting to retry.
        }
        return state.Result(stop.IsCancellationRequested, null);
    }

    /// <summary>One stream: what an earlier one left unanswered first, then new chunks until the file ends or the user stops.</summary>
    private async Task StreamAsync(State state, CancellationToken stop)
    {
        // Not cancelled by Ctrl-C: the chunks already sent are worth their answers.
        using var call = client.ImportShipments();
        using var window = new SemaphoreSlim(Window);
        using var broken = new CancellationTokenSource();
        var answers = ReadAnswersAsync(call.ResponseStream, state, window, broken);
        try
        {
            foreach (var chunk in state.Unanswered())
            {
                await window.WaitAsync(broken.Token);
                await call.RequestStream.WriteAsync(chunk.Request(ValidateOnly), broken.Token);
            }
            while (!stop.IsCancellationRequested && state.NextChunk(ChunkSize) is { } next)
            {
                if (next.Rows.Count == 0)
                {
                    state.SettleLocal(next);
                    continue;
                }
                // Queued before it is sent: should this stream break first, the next one sends it.
                state.Sent(next);
                await window.WaitAsync(broken.Token);
                await call.RequestStream.WriteAsync(next.Request(ValidateOnly), broken.Token);
            }
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception writing) when (writing is OperationCanceledException or RpcException or InvalidOperationException)
        {
            // The stream broke under the writer; the reader holds the reason.
            await answers;
            throw;
        }
        await answers;
    }

    private static async Task ReadAnswersAsync(IAsyncStreamReader<ImportShipmentsResponse> responses, State state, SemaphoreSlim window,
        CancellationTokenSource broken)
    {
        try
        {
            while (await responses.MoveNext(CancellationToken.None))
            {
                state.Answered(responses.Current);
                window.Release();
            }
            if (state.HasUnanswered)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "The import stream ended before every chunk sent was answered."));
            }
        }
        catch
        {
            await broken.CancelAsync();
            throw;
        }
    }

    /// <summary>The file being read and what is in flight; shared by the writer and the reader of a stream, under one lock.</summary>
    private sealed class State(IEnumerator<CsvRecord> file, int resumeAfterLine, ImportTally tally, ImportObserver observer)
    {
        private readonly Lock _lock = new();
        private readonly int _resumeAfterLine = resumeAfterLine;
        private readonly Queue<ImportChunk> _queue = new();
        private ImportTally _tally = tally;
        private int _settledThrough = resumeAfterLine;
        private long _unansweredRows;

        public bool EndOfFile { get; private set; }
        public long SettledChunks { get; private set; }
        public bool HasUnanswered { get { lock (_lock) return _queue.Any(c => c.Rows.Count > 0); } }

        public bool Done(CancellationToken stop) => (EndOfFile || stop.IsCancellationRequested) && !HasUnanswered;

        public List<ImportChunk> Unanswered() { lock (_lock) return [.. _queue.Where(c => c.Rows.Count > 0)]; }

        /// <summary>The next records of the file, up to <paramref name="size"/> of them; null at its end.</summary>
        public ImportChunk? NextChunk(int size)
        {
            var chunk = new ImportChunk();
            while (chunk.Rows.Count + chunk.Errors.Count < size && chunk.Bytes < MaxChunkBytes)
            {
                if (!file.MoveNext())
                {
                    EndOfFile = true;
                    break;
                }
                var record = file.Current;
                if (record.Line <= _resumeAfterLine) continue;
                if (record is CsvShipmentRow row) chunk.Add(row);
                else chunk.Errors.Add((CsvRowError)record);
            }
            return chunk.IsEmpty ? null : chunk;
        }

        public void Sent(ImportChunk chunk)
        {
            lock (_lock)
            {
                _queue.Enqueue(chunk);
                _unansweredRows += chunk.Rows.Count;
            }
        }

        /// <summary>Records that need no answer (CSV errors): settled now if nothing before them waits, else after it.</summary>
        public void SettleLocal(ImportChunk chunk)
        {
            lock (_lock)
            {
                _queue.Enqueue(chunk);
                SettleLocalsAtHead();
            }
        }

        public void Answered(ImportShipmentsResponse answer)
        {
            lock (_lock)
            {
                var chunk = _queue.Dequeue();
                if (answer.Results.Count != chunk.Rows.Count)
                {
                    throw new RpcException(new Status(StatusCode.Internal,
                        $"The service answered a chunk of {chunk.Rows.Count} rows with {answer.Results.Count} results."));
                }
                _unansweredRows -= chunk.Rows.Count;
                Settle(chunk, answer.Results);
                SettleLocalsAtHead();
            }
        }

        private void SettleLocalsAtHead()
        {
            while (_queue.TryPeek(out var head) && head.Rows.Count == 0) Settle(_queue.Dequeue(), []);
        }

        /// <summary>The chunk's rows and errors, merged back into line order.</summary>
        private void Settle(ImportChunk chunk, IReadOnlyList<ImportResult> results)
        {
            var (created, present, valid, rejected) = (0, 0, 0, 0);
            var errors = 0;
            for (var i = 0; i < chunk.Rows.Count; i++)
            {
                for (; errors < chunk.Errors.Count && chunk.Errors[errors].Line < chunk.Rows[i].Line; errors++) Reject(chunk.Errors[errors]);
                var result = results[i];
                switch (result.Outcome)
                {
                    case Outcome.Created: created++; break;
                    case Outcome.AlreadyPresent: present++; break;
                    case Outcome.Valid: valid++; break;
                    default:
                        rejected++;
                        observer.Rejected?.Invoke(new RowOutcome(chunk.Rows[i].Line, chunk.Rows[i].Draft.RequestId, Problems(result)));
                        break;
                }
            }
            for (; errors < chunk.Errors.Count; errors++) Reject(chunk.Errors[errors]);

            _tally = _tally with
            {
                Created = _tally.Created + created,
                AlreadyPresent = _tally.AlreadyPresent + present,
                Valid = _tally.Valid + valid,
                Rejected = _tally.Rejected + rejected + chunk.Errors.Count,
            };
            _settledThrough = chunk.LastLine;
            SettledChunks++;
            observer.Settled?.Invoke(_tally, _settledThrough);

            void Reject(CsvRowError error) => observer.Rejected?.Invoke(new RowOutcome(error.Line, error.RequestId, error.Problems));
        }

        private static List<FieldProblem> Problems(ImportResult result)
        {
            var violations = ErrorFormatter.Violations(result.Status);
            return violations.Count > 0
                ? [.. violations.Select(v => new FieldProblem(CsvColumns.ForField(v.Field), v.Description))]
                : [new FieldProblem(result.Outcome == Outcome.RequestIdReused ? CsvColumns.RequestId : "", result.Status?.Message ?? $"refused ({result.Outcome}).")];
        }

        /// <summary>
        /// How the import ended. Stopped by a failure, the rows sent and unanswered and the rest of the
        /// file are counted as not attempted (reading on, sending nothing); interrupted, the rest is left unread.
        /// </summary>
        public ImportRun Result(bool interrupted, ServiceCallException? stoppedBy)
        {
            long notAttempted;
            lock (_lock) notAttempted = _unansweredRows;
            if (stoppedBy is not null)
            {
                while (file.MoveNext()) if (file.Current is CsvShipmentRow && file.Current.Line > _resumeAfterLine) notAttempted++;
            }
            lock (_lock)
            {
                var finished = EndOfFile && !HasUnanswered && stoppedBy is null;
                // Ctrl-C after the last row was read, but before it was answered, still leaves rows to resume.
                return new ImportRun(_tally, _settledThrough, finished, interrupted && !finished, notAttempted, stoppedBy);
            }
        }
    }
}
