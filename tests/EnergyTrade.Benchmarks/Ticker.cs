namespace EnergyTrade.Benchmarks;

/// <summary>Runs a progress callback once a period (never two at once) until cancelled.</summary>
public sealed class Ticker(TimeSpan period) : IDisposable
{
    private readonly PeriodicTimer _timer = new(period);

    public async Task RunAsync(Func<Task> tick, CancellationToken cancellationToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await tick();
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    Console.WriteLine($"  (progress: {e.GetType().Name}: {e.Message})");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task RunAsync(Action tick, CancellationToken cancellationToken) => RunAsync(() =>
    {
        tick();
        return Task.CompletedTask;
    }, cancellationToken);

    public void Dispose() => _timer.Dispose();
}
