using System.Threading.Channels;

namespace EnergyTrade.Persistence;

/// <summary>
/// Gathers requests that arrive at the same moment and hands them to <c>process</c> as one batch —
/// one statement, one round trip, one commit for all of them — while each caller awaits only its own
/// result. <c>loops</c> batches are in flight at once: while one is processed, the next gathers. Used
/// for the group commit of creates and for batched totals reads.
/// </summary>
public sealed class MicroBatcher<TRequest, TResult>
{
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>();
    private readonly Func<IReadOnlyList<Item>, Task> _process;
    private readonly int _maxBatchSize;
    private readonly int _loops;
    private readonly Func<Exception> _stopped;
    private Task[] _running = [];

    /// <param name="process">Completes each item of a batch; an item it leaves open fails with what it threw.</param>
    /// <param name="stopped">What a request arriving after <see cref="StopAsync"/> fails with.</param>
    public MicroBatcher(Func<IReadOnlyList<Item>, Task> process, int maxBatchSize, int loops, Func<Exception> stopped)
    {
        _process = process;
        _maxBatchSize = Math.Max(1, maxBatchSize);
        _loops = Math.Max(1, loops);
        _stopped = stopped;
    }

    /// <summary>One caller's request and the result it waits for.</summary>
    public sealed class Item(TRequest request)
    {
        // Completed by a batch loop: the caller continues on the thread pool, not inside the loop.
        private readonly TaskCompletionSource<TResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TRequest Request { get; } = request;
        public Task<TResult> Result => _done.Task;
        public void Complete(TResult result) => _done.TrySetResult(result);
        public void Fail(Exception error) => _done.TrySetException(error);
    }

    public Task<TResult> EnqueueAsync(TRequest request)
    {
        var item = new Item(request);
        if (!_queue.Writer.TryWrite(item)) throw _stopped();
        return item.Result;
    }

    public void Start() => _running = Enumerable.Range(0, _loops).Select(_ => Task.Run(LoopAsync, CancellationToken.None)).ToArray();

    /// <summary>Takes no more requests; what is queued is still processed and answered.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_running).WaitAsync(cancellationToken);
    }

    private async Task LoopAsync()
    {
        var batch = new List<Item>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var item)) batch.Add(item);
            if (batch.Count == 0) continue;
            try
            {
                await _process(batch);
            }
            catch (Exception ex)
            {
                foreach (var item in batch) item.Fail(ex);
            }
        }
    }
}
