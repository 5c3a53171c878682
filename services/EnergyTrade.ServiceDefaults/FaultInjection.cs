using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace EnergyTrade.ServiceDefaults;

/// <summary>
/// Deliberate crashes at exact points, for tests/EnergyTrade.FaultTests, which prove that a process
/// dying at the worst possible moment loses and doubles nothing. Off unless configured; nothing in
/// appsettings or the deployment files sets these keys.
/// </summary>
/// <remarks>
/// <para>
/// <c>FaultInjection:CrashAfterCommit</c> = N (as an environment variable
/// <c>FaultInjection__CrashAfterCommit=N</c>): Trade kills itself with SIGKILL right after its Nth
/// totals transaction has committed and before the broker message is acknowledged. RabbitMQ then
/// redelivers a message whose effect is already in the database, which Trade must absorb.
/// </para>
/// <para>
/// The setting is read once, on first use, from the same sources the service's host reads
/// (appsettings.json, appsettings.{environment}.json, environment variables), so no start-up code
/// has to know about it.
/// </para>
/// </remarks>
public static class FaultInjection
{
    public const string CrashAfterCommitKey = "FaultInjection:CrashAfterCommit";

    private static readonly Lazy<int> CrashAfterCommit = new(() => ReadSetting(CrashAfterCommitKey));
    private static int _commits;

    /// <summary>Call right after a totals transaction committed. Does nothing unless CrashAfterCommit is set.</summary>
    public static void AfterTotalsCommit()
    {
        var crashAt = CrashAfterCommit.Value;
        if (crashAt <= 0) return;
        var commit = Interlocked.Increment(ref _commits);
        if (commit == crashAt) Crash($"{CrashAfterCommitKey}={crashAt}: totals commit {commit} done, message not acknowledged");
    }

    private static int ReadSetting(string key)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        return int.TryParse(configuration[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    /// <summary>SIGKILL to this very process: no finally block, no shutdown hook, no acknowledgement runs.</summary>
    private static void Crash(string reason)
    {
        Console.Error.WriteLine($"FaultInjection: {reason}; killing process {Environment.ProcessId} with SIGKILL");
        Console.Error.Flush();
        using var self = Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}
