using System.Globalization;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>
/// Runs one case inside a hard time limit (xunit 2 has no per-test timeout): the case's token is
/// cancelled at the limit and the case is abandoned with a TimeoutException, after which its
/// processes and nodes are torn down all the same. On failure the services' last log lines are printed.
/// </summary>
public static class FaultCase
{
    /// <summary>
    /// Each case names what it needs on an ordinary day; this machine's speed varies 3–4× from day to day, and a
    /// case that is slow but right must not fail for it (case 15 ran out of its 480 s one day with every step
    /// passing, nodes taking 55 s to start instead of 15). The limit guards against a hang, not a slow day.
    /// </summary>
    private const double SlowDaySlack = 2.0;

    public static async Task RunAsync(ITestOutputHelper output, string name, TimeSpan limit, Func<FaultCluster, CancellationToken, Task> body,
        bool separateDatabases = false, bool clusteredBroker = false, int replicas = 1, bool replicatedDatabase = false)
    {
        limit *= SlowDaySlack;
        var log = new CaseLog(output, name);
        log.Line(string.Create(CultureInfo.InvariantCulture, $"starting (time limit {limit.TotalSeconds:F0}s)"));
        using var cts = new CancellationTokenSource(limit);
        FaultCluster? cluster = null;
        var passed = false;
        try
        {
            cluster = await FaultCluster.StartAsync(log, separateDatabases, cts.Token, clusteredBroker, replicas, replicatedDatabase);
            try
            {
                await body(cluster, cts.Token).WaitAsync(cts.Token);
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"Case {name} exceeded its time limit of {limit.TotalSeconds:F0}s.");
            }
            passed = true;
        }
        catch (Exception ex)
        {
            log.Line($"FAILED: {ex.GetType().Name}: {ex.Message}");
            if (cluster is not null) DumpLogs(cluster, log);
            throw;
        }
        finally
        {
            log.Summary(passed);
            if (cluster is not null)
            {
                try
                {
                    await cluster.DisposeAsync();
                }
                catch (Exception ex) when (!passed)
                {
                    log.Line($"tear-down also failed: {ex.Message}");
                }
            }
        }
    }

    private static void DumpLogs(FaultCluster cluster, CaseLog log)
    {
        foreach (var slot in cluster.TradeSlots.Concat(cluster.ShipmentsSlots))
        {
            foreach (var process in slot.History)
            {
                var lines = process.RecentLog(30).Split('\n').Select(l => l.Length <= 700 ? l : l[..700] + "…");
                log.Line($"----- last log lines of {slot.Name} pid {process.Pid} (exit code {process.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "running"}) -----\n{string.Join('\n', lines)}");
            }
        }
    }
}
