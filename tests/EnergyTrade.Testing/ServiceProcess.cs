using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;

namespace EnergyTrade.Testing;

/// <summary>
/// One EnergyTrade service running as a separate OS process — the real binary, real Kestrel, real
/// configuration by environment variable — so tests can kill it with SIGKILL or stop it with SIGTERM.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private ServiceProcess(string name, Process process, Uri grpcUrl, Uri httpUrl, ServiceTls? tls)
    {
        Name = name;
        _process = process;
        GrpcUrl = grpcUrl;
        HttpUrl = httpUrl;
        Tls = tls;
    }

    public string Name { get; }
    public Uri GrpcUrl { get; }
    public Uri HttpUrl { get; }
    /// <summary>Set when both endpoints are https with mutual TLS: clients need its CA and client certificate.</summary>
    public ServiceTls? Tls { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    /// <summary>The exit code once exited (137 after SIGKILL, 0 after a graceful stop), otherwise null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string RecentLog(int lines = 60)
    {
        // Once the process has exited, its last lines may still be in the pipe: WaitForExit() without a
        // timeout returns only after the redirected output has been read to the end.
        if (_process.HasExited) _process.WaitForExit();
        return string.Join(Environment.NewLine, _log.TakeLast(lines));
    }

    /// <summary>
    /// Starts services/EnergyTrade.{name}/bin/{Configuration}/net10.0/EnergyTrade.{name}.dll, with both
    /// endpoints on cleartext loopback, or on https with mutual TLS when <paramref name="tls"/> is given.
    /// </summary>
    public static ServiceProcess Start(string name, IReadOnlyDictionary<string, string> environment, int? grpcPort = null, int? httpPort = null,
        ServiceTls? tls = null, bool testHost = false)
    {
        // A test host (tests/EnergyTrade.{name}.TestHost) runs the same service through its own entry
        // point, with only what a test adds to it (the fault suite's crash hook).
        var dll = testHost
            ? Path.Combine(RepositoryRoot(), "tests", $"EnergyTrade.{name}.TestHost", "bin", BuildConfiguration(), "net10.0", $"EnergyTrade.{name}.TestHost.dll")
            : Path.Combine(RepositoryRoot(), "services", $"EnergyTrade.{name}", "bin", BuildConfiguration(), "net10.0", $"EnergyTrade.{name}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build the solution first (dotnet build EnergyTrade.sln -c {BuildConfiguration()}).");
        }
        var scheme = tls is null ? "http" : "https";
        var grpc = new Uri($"{scheme}://127.0.0.1:{grpcPort ?? FreePort()}");
        var http = new Uri($"{scheme}://127.0.0.1:{httpPort ?? FreePort()}");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["Kestrel__Endpoints__Grpc__Url"] = grpc.ToString().TrimEnd('/');
        info.Environment["Kestrel__Endpoints__Http__Url"] = http.ToString().TrimEnd('/');
        foreach (var (key, value) in tls?.ServiceEnvironment(grpc, http) ?? new Dictionary<string, string>()) info.Environment[key] = value;
        // Auth is on in every test, as in production; TestAuth mints the tokens these settings trust.
        foreach (var (key, value) in TestAuth.ServiceEnvironment) info.Environment[key] = value;
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, process, grpc, http, tls);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits until /health/ready answers 200 (dependencies reachable, schema migrated).</summary>
    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        using var http = Tls is null
            ? new HttpClient { BaseAddress = HttpUrl, Timeout = TimeSpan.FromSeconds(5) }
            : new HttpClient(Tls.Handler(Tls.ClientCertificate)) { BaseAddress = HttpUrl, Timeout = TimeSpan.FromSeconds(5) };
        // The monotonic clock: a stepped wall clock must not end the wait early.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Three minutes by default: a start takes 5–15 s, but when every test assembly starts its services at once on a slow
        // day, a CI run saw a Trade take 35 s to log its first line and not be ready within 60 s. A hang still ends here.
        var limit = timeout ?? TimeSpan.FromSeconds(180);
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready:\n{RecentLog()}");
            }
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow answer while starting.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} was not ready within {limit.TotalSeconds:F0}s:\n{RecentLog()}");
    }

    /// <summary>Waits for the process to exit by itself (e.g. refusing its configuration) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} was still running after {timeout}:\n{RecentLog()}");
        }
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits for a graceful exit.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited) return;
        _ = SysKill(_process.Id, 15);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(40));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"{Name} did not stop within the timeout after SIGTERM:\n{RecentLog()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        while (_log.Count > 2000) _log.TryDequeue(out _);
    }

    /// <summary>A free port on loopback, reserved for this test process (see <see cref="FreePorts"/>).</summary>
    public static int FreePort() => FreePorts.Next();

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnergyTrade.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No EnergyTrade.sln above {AppContext.BaseDirectory}.");
    }

    private static string BuildConfiguration() =>
        typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
