namespace EnergyTrade.Shipments.Outbox;

/// <summary>
/// Wakes the relay the moment a transaction that wrote outbox rows commits, so events leave in
/// milliseconds rather than at the next poll. Polling remains as the fallback for rows committed
/// by another replica.
/// </summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one wake-up covers every row committed so far.
        }
    }

    /// <summary>Waits until notified or the timeout passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
