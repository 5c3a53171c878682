namespace EnergyTrade.Shipments.Republish;

/// <summary>Wakes this replica's worker when an operation is started here, rather than at its next poll.</summary>
public sealed class RepublishSignal
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
            // Already signalled: one wake-up covers every operation started before the worker looks.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _semaphore.WaitAsync(timeout, cancellationToken);
}
