namespace EnergyTrade.Outbox;

/// <summary>
/// Wakes the relay the moment a transaction that wrote outbox rows commits, so events leave in
/// milliseconds rather than at the next poll. Polling remains as the fallback for rows committed
/// by another replica.
/// </summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _semaphore = new(0);
    private int _pending;

    /// <summary>Called on every commit, so it must be cheap: one wake-up covers every row committed before the relay looks.</summary>
    public void Notify()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0) _semaphore.Release();
    }

    /// <summary>Waits until notified or the timeout passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(timeout, cancellationToken);
        Interlocked.Exchange(ref _pending, 0);
    }
}
