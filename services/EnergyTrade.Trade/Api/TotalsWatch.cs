using EnergyTrade.Persistence;
using EnergyTrade.Trade.Totals;
using Grpc.Core;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// Streams a pair's totals: at once, then whenever a notified change concerns the pair and the
/// totals really differ from what the client last received.
/// </summary>
public sealed class TotalsWatch(TotalsStore totals, TotalsChangeFeed feed, IHostApplicationLifetime lifetime, TimeProvider time)
{
    /// <summary>A safety net should a notification ever be lost without the feed noticing.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an open watch holds through a database it cannot read (a failover of a replicated
    /// PostgreSQL takes ~15 s, a restart a few) before it ends with the error: its client would only
    /// reconnect to the same unreadable database.
    /// </summary>
    public static readonly TimeSpan HoldThroughOutage = TimeSpan.FromSeconds(60);

    public async Task RunAsync(PairQuery q, IServerStreamWriter<V1.BilateralTotals> stream, CancellationToken callCancelled)
    {
        // Shutdown ends every watch at once with OK, instead of holding the server's drain until its
        // timeout and then resetting the streams; clients re-open the watch on another replica.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, lifetime.ApplicationStopping);
        var cancellationToken = linked.Token;
        // Subscribed before the first read: a change committed in between still wakes this watch.
        using var subscription = feed.Subscribe(change => change.Touches(q.Concerns, q.MayChangeIn));
        V1.BilateralTotals? sent = null;
        long? unreadableSince = null;
        try
        {
            while (true)
            {
                V1.BilateralTotals latest;
                try
                {
                    latest = (await totals.PairAsync(q, cancellationToken)).Proto;
                    unreadableSince = null;
                }
                // A watch that has sent nothing yet fails at once instead, so its client can go elsewhere.
                catch (Exception ex) when (sent is not null && TransientFailures.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
                {
                    unreadableSince ??= time.GetTimestamp();
                    if (time.GetElapsedTime(unreadableSince.Value) >= HoldThroughOutage) throw;
                    // The change feed wakes every watcher with "everything" once it listens on the
                    // database again, so the read after the outage is of the new primary's totals.
                    await subscription.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
                    if (cancellationToken.IsCancellationRequested) return;
                    continue;
                }
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
