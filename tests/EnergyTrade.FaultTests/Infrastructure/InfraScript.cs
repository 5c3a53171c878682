using System.Diagnostics;
using System.Text;
using EnergyTrade.Testing;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>
/// Runs functions of scripts/lib/infra.sh in bash — the same code that starts the nodes for
/// scripts/up.sh and scripts/test.sh — so a case's private RabbitMQ and PostgreSQL are set up exactly
/// as everywhere else, and can be stopped, killed and restarted in place.
/// </summary>
public static class InfraScript
{
    public const string User = "energytrade";
    public const string Password = "energytrade";

    private static readonly string Script = Path.Combine(ServiceProcess.RepositoryRoot(), "scripts", "lib", "infra.sh");

    /// <summary>Runs <c>source infra.sh; FUNCTION ARGS…</c>; throws with its output when it fails.</summary>
    public static async Task<string> RunAsync(string function, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = ServiceProcess.RepositoryRoot(),
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"source \"$0\" && {DestroyTree} && \"$@\"");
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add(function);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        var gate = new Lock();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"infra.sh {function} did not finish within {timeout.TotalSeconds:F0}s:\n{output}");
        }
        process.WaitForExit(); // drains the redirected output
        string text;
        lock (gate) text = output.ToString();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra.sh {function} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{text}");
        }
        return text;
    }

    /// <summary>
    /// Kills every node started in a subdirectory of <paramref name="caseDirectory"/> (each node has a
    /// directory of its own: infra_destroy only looks at the directory it is given) and deletes the lot.
    /// </summary>
    public const string DestroyTreeFunction = "_fault_destroy_tree";

    private const string DestroyTree =
        "_fault_destroy_tree() { local d; for d in \"$1\"/*/; do [[ -d $d ]] && infra_destroy \"${d%/}\"; done; rm -rf \"$1\"; }";

    public static Task DestroyTreeAsync(string caseDirectory) =>
        RunAsync(DestroyTreeFunction, [caseDirectory], TimeSpan.FromSeconds(120));

    /// <summary>Synchronous, best-effort <see cref="DestroyTreeAsync"/>: for a test process exiting with nodes still running.</summary>
    public static void DestroyTreeNow(string caseDirectory)
    {
        try
        {
            var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add($"source \"$0\" && {DestroyTree} && {DestroyTreeFunction} \"$1\"");
            info.ArgumentList.Add(Script);
            info.ArgumentList.Add(caseDirectory);
            using var process = Process.Start(info)!;
            process.WaitForExit(60_000);
        }
        catch (Exception)
        {
            // Nothing more can be done while the process exits.
        }
    }

    /// <summary>A free port on loopback, reserved for this test process (see <see cref="FreePorts"/>).</summary>
    public static int FreePort() => FreePorts.Next();
}
