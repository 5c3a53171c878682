using System.Diagnostics;
using System.Globalization;
using CsCheck;
using EnergyTrade.EndToEnd.Tests.Properties;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace EnergyTrade.EndToEnd.Tests;

/// <summary>
/// "Every acknowledged shipment is counted exactly once", tested as a property: CsCheck generates
/// thousands of requests across the whole input space, sends them to the running services many at a
/// time, keeps a model from the replies, and after each run checks Trade, Shipments' own sums and the
/// Reconciler against it. ENERGYTRADE_PROPERTY_REQUESTS sets the volume (10,000 by default, across both
/// tests); ENERGYTRADE_PROPERTY_SEED replays one run from the seed its summary line printed.
/// </summary>
[Collection(SystemCollection.Name)]
[Trait("Category", "EndToEnd")]
[Trait("Category", "Property")]
public sealed class CountedExactlyOncePropertyTests(SystemFixture system, ITestOutputHelper output)
{
    [Fact]
    public Task Whatever_is_asked_every_acknowledged_shipment_is_counted_exactly_once_at_its_newest_version() =>
        SampleAsync(ScenarioProfile.Fuzz, share: 0.7, runSize: 700);

    [Fact]
    public Task Racing_corrections_retries_and_twins_leave_every_shipment_counted_exactly_once() =>
        SampleAsync(ScenarioProfile.Race, share: 0.3, runSize: 500);

    private async Task SampleAsync(ScenarioProfile profile, double share, int runSize)
    {
        var seed = PropertySettings.Seed;
        var requests = (int)Math.Ceiling(PropertySettings.TotalRequests * share);
        // Runs are 90–110% of runSize long: enough of them that the total is reached.
        var runs = seed is null ? Math.Max(1, (int)Math.Ceiling(requests / (runSize * 0.9))) : 1;
        var total = new StatusTally();
        var clock = Stopwatch.StartNew();
        var run = 0;
        PropertyRunFailedException? first = null;
        try
        {
            await new Seeded<Scenario>(ScenarioGen.Of(profile, runSize)).SampleAsync(async sample =>
            {
                var label = $"{profile.Name} {Interlocked.Increment(ref run)}/{runs}";
                try
                {
                    total.Add(await new PropertyRun(system, Print).ExecuteAsync(sample.Value, sample.Seed, label));
                }
                catch (PropertyRunFailedException ex)
                {
                    first ??= ex;
                    throw;
                }
            }, writeLine: Print, seed: seed, iter: runs, threads: 1, print: s => $"{s.Value} (seed {s.Seed})");
        }
        catch (Exception ex) when (first is not null)
        {
            // Shrinking runs more scenarios against the same services; the first failure is the one to read.
            var shrunk = ex.InnerException is PropertyRunFailedException smallest && smallest != first ? "\n" + smallest.Message : "";
            throw new XunitException($"First failing run — replay it with {PropertySettings.SeedVariable}={first.Seed}:\n{first.Message}\n\nCsCheck after shrinking:\n{ex.Message}{shrunk}");
        }
        Print(string.Create(CultureInfo.InvariantCulture,
            $"[property {profile.Name} total] PASSED: {run} runs, {total}; elapsed {clock.Elapsed.TotalSeconds:F1} s, {total.Requests / clock.Elapsed.TotalSeconds:F0} requests/s"));
    }

    private void Print(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test already finished: stdout still has the line.
        }
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }
}
