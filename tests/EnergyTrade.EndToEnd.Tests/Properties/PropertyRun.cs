using System.Diagnostics;
using System.Globalization;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// One run: read the baselines, send the scenario, wait for Trade, check the promise, and print one
/// summary line. Throws with every failure and the seed that replays it.
/// </summary>
public sealed class PropertyRun(SystemFixture system, Action<string> print)
{
    public static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(90);

    public async Task<StatusTally> ExecuteAsync(Scenario scenario, string seed, string label)
    {
        var clock = Stopwatch.StartNew();
        var check = new TotalsCheck(system);
        var queries = TotalsCheck.Queries(MonthsToCheck(scenario));
        var ledger = new Ledger();
        var tally = new StatusTally();
        var failures = new List<string>();
        var sending = TimeSpan.Zero;
        try
        {
            var before = await check.BaselineAsync(queries);
            var baseline = clock.Elapsed;
            var runner = new ScenarioRunner(system.Shipments, ledger, tally, PropertySettings.Concurrency);
            await runner.RunAsync(scenario);
            sending = clock.Elapsed - baseline;

            // Statuses no correct server gives first: they are the clearest evidence.
            failures.AddRange(runner.Failures.OrderBy(f => f.Contains(ScenarioRunner.NoCorrectServer, StringComparison.Ordinal) ? 0 : 1).Take(25));
            if (runner.Failures.Count > 25) failures.Add($"… and {runner.Failures.Count - 25} more");
            failures.AddRange(ledger.Contradictions.Take(10));
            // A run whose answers were already wrong need not wait as long to show what the totals say.
            failures.AddRange(await check.VerifyAsync(before, queries, ledger, runner.RefusedAsCancelled, failures.Count == 0 ? CatchUpLimit : TimeSpan.FromSeconds(15)));
        }
        catch (CheckReadFailedException ex)
        {
            failures.Add("a read the checks need failed: " + ex.Message);
        }
        var elapsed = clock.Elapsed;

        var active = ledger.Shipments.Count(s => s.Active);
        print(string.Create(CultureInfo.InvariantCulture,
            $"[property {label}] {(failures.Count == 0 ? "PASSED" : "FAILED")}: {tally}; {active} active + {ledger.Shipments.Count - active} cancelled shipments; " +
            $"elapsed {elapsed.TotalSeconds:F1} s (sending {sending.TotalSeconds:F1} s = {tally.Requests / Math.Max(sending.TotalSeconds, 0.001):F0} requests/s, " +
            $"Trade caught up in {check.CatchUp.TotalSeconds:F1} s, {queries.Count} totals checked); seed {seed}"));
        if (failures.Count > 0)
        {
            throw new PropertyRunFailedException(seed, $"{label} (seed {seed}, {scenario}) broke the promise:\n  " + string.Join("\n  ", failures));
        }
        return tally;
    }

    /// <summary>
    /// The months a run checks one by one besides all months: those its requests name most often (where
    /// many corrections meet), and the earliest and latest (the edges of the calendar).
    /// </summary>
    public static IReadOnlyList<DateOnly> MonthsToCheck(Scenario scenario)
    {
        var months = scenario.Steps
            .Select(s => s switch { CreateStep c => c.Shipment.LoadDate, UpdateStep u => u.Patch.LoadDate, RetryStep r => r.Different?.LoadDate, _ => null })
            .Select(d => DateGen.Real(d, out var day) ? new DateOnly(day.Year, day.Month, 1) : (DateOnly?)null)
            .OfType<DateOnly>()
            .ToList();
        if (months.Count == 0) return [];
        var frequent = months.GroupBy(m => m).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Take(3).Select(g => g.Key);
        return [.. frequent.Append(months.Min()).Append(months.Max()).Distinct()];
    }
}

public sealed class PropertyRunFailedException(string seed, string message) : Exception(message)
{
    public string Seed { get; } = seed;
}
