namespace EnergyTrade.Testing;

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails with the last observed state when time runs out.</summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> observe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await observe();
                if (condition(last)) return last;
            }
            catch (Exception ex) when (DateTime.UtcNow < deadline)
            {
                lastError = ex;
                last = default!;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0}s waiting for {what}. Last observed: {last}", lastError);
            }
            await Task.Delay(100);
        }
    }
}
