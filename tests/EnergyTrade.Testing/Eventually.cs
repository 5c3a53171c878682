namespace EnergyTrade.Testing;

/// <summary>
/// Waits measured on the monotonic clock: the wall clock of a CI machine may be stepped while a test
/// runs, which would end a wait early or make it endless.
/// </summary>
public static class Eventually
{
    /// <summary>Polls until the condition holds; fails with the last observed state when time runs out.</summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> observe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        T last;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await observe();
                if (condition(last)) return last;
            }
            catch (Exception ex) when (clock.Elapsed < timeout)
            {
                lastError = ex;
                last = default!;
            }
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0}s waiting for {what}. Last observed: {last}", lastError);
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Polls until the value has stayed the same for <paramref name="quiet"/> and returns it: for a count
    /// that grows while work is under way and is asked about once the work has stopped.
    /// </summary>
    public static async Task<T> StableAsync<T>(Func<Task<T>> observe, TimeSpan quiet, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = await observe();
        var since = clock.Elapsed;
        while (clock.Elapsed - since < quiet)
        {
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0}s waiting for {what} to stay the same for {quiet.TotalSeconds:F0}s. Last observed: {last}");
            }
            await Task.Delay(250);
            var now = await observe();
            if (!EqualityComparer<T>.Default.Equals(now, last)) (last, since) = (now, clock.Elapsed);
        }
        return last;
    }
}
