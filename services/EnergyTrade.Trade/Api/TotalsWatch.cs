using EnergyTrade.Trade.Totals;
using Grpc.Core;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Streams a pair's totals: at once, then whenever a notified change concerns the pair and the
/// totals really differ from what the client last received.
/// </summary>
public sealed class TotalsWatch(TotalsStore totals, TotalsChangeFeed feed, IHostApplicationLifetime lifetime)
{
    /// <summary>A safety net should a notification ever be lost without the feed noticing.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);

    public async Task RunAsync(PairQuery q, IServerStreamWriter<V1.BilateralTotals> stream, CancellationToken callCancelled)
    {
        // Shutdown ends every watch at once with OK, instead of holding the server's drain until its
        // timeout and then resetting the streams; clients re-open the watch on another replica.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, lifetime.ApplicationStopping);
        var cancellationToken = linked.Token;
        // Subscribed before the first read: a change committed in between still wakes this watch.
        using var subscription = feed.Subscribe(change => change.Touches(q.Concerns, q.MayChangeIn));
        V1.BilateralTotals? sent = null;
        try
        {
            while (true)
            {
                var latest = (await totals.PairAsync(q, cancellationToken)).Proto;
                if (!latest.Equals(sent))
                {
                    await stream.WriteAsync(latest, cancellationToken);
                    sent = latest;
                }
                await subscription.WaitAsync(Recheck, cancellationToken);
                // The client went away, or the server is stopping: end with OK, without an exception.
                if (cancellationToken.IsCancellationRequested) return;
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !callCancelled.IsCancellationRequested)
        {
        }
    }
}
