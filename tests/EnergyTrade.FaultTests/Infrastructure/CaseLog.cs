using System.Diagnostics;
using System.Globalization;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>
/// What a case did and measured, written both to xunit's test output and to the test process's
/// stdout, so the figures appear in the test report and in CI's log alike.
/// </summary>
public sealed class CaseLog(ITestOutputHelper output, string caseName)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Name, string Value)> _figures = [];
    private readonly Lock _gate = new();

    public string CaseName => caseName;
    public TimeSpan Elapsed => _clock.Elapsed;

    public void Line(string text)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[fault {caseName} {_clock.Elapsed.TotalSeconds,6:F1}s] {text}");
        lock (_gate)
        {
            try
            {
                output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test already finished (a late background line): stdout still has it.
            }
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    /// <summary>Records a figure for the case's summary line and prints it (the build's globalization is invariant).</summary>
    public void Figure(string name, string text)
    {
        lock (_gate) _figures.Add((name, text));
        Line($"{name} = {text}");
    }

    public void Summary(bool passed)
    {
        string figures;
        lock (_gate) figures = string.Join("; ", _figures.Select(f => $"{f.Name}={f.Value}"));
        Line(string.Create(CultureInfo.InvariantCulture, $"SUMMARY {(passed ? "PASSED" : "FAILED")} in {_clock.Elapsed.TotalSeconds:F1}s: {figures}"));
    }
}
