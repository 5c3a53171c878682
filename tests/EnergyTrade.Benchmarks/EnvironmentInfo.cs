using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace EnergyTrade.Benchmarks;

/// <summary>What the figures were measured on: machine, runtimes, server versions and the code's commit.</summary>
public sealed record EnvironmentInfo(
    int Cores,
    string Memory,
    string Os,
    string DotNet,
    string PostgreSql,
    string RabbitMq,
    string Commit,
    string? RepositoryRoot,
    string LoadAverage)
{
    public static async Task<EnvironmentInfo> CollectAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var root = FindRepositoryRoot();
        return new EnvironmentInfo(
            Environment.ProcessorCount,
            ReadMemory(),
            ReadOs(),
            $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture})",
            await PostgresAsync(options.Postgres, cancellationToken),
            await RabbitAsync(options, cancellationToken),
            await CommitAsync(root),
            root,
            ReadLoadAverage());
    }

    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git"))) return dir.FullName;
            }
        }
        return null;
    }

    private static string ReadMemory()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return string.Create(CultureInfo.InvariantCulture, $"{kb / 1024.0 / 1024.0:0.0} GiB");
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException)
        {
            return $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024)} MiB (GC's view)";
        }
    }

    /// <summary>1, 5 and 15 minute load averages when the run started: others' work on the same cores shows here.</summary>
    private static string ReadLoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string ReadOs()
    {
        var pretty = RuntimeInformation.OSDescription;
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : null;
            if (line is not null) pretty = line["PRETTY_NAME=".Length..].Trim('"');
            if (kernel is not null) pretty += $", Linux {kernel}";
        }
        catch (IOException)
        {
        }
        return pretty;
    }

    private static async Task<string> PostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 10 };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('shared_buffers')",
                connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return $"{reader.GetString(0)} (fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, shared_buffers={reader.GetString(3)})";
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return $"unknown ({e.Message})";
        }
    }

    private static async Task<string> RabbitAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        try
        {
            using var http = new HttpClient { BaseAddress = options.Management, Timeout = TimeSpan.FromSeconds(10) };
            var user = Uri.UnescapeDataString(options.Amqp.UserInfo);
            if (user.Length > 0)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
            }
            await using var stream = await http.GetStreamAsync("/api/overview", cancellationToken);
            using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            var rabbit = json.RootElement.GetProperty("rabbitmq_version").GetString();
            var erlang = json.RootElement.TryGetProperty("erlang_version", out var e) ? e.GetString() : null;
            return erlang is null ? $"{rabbit}" : $"{rabbit} (Erlang {erlang})";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return $"unknown (management API: {e.Message})";
        }
    }

    private static async Task<string> CommitAsync(string? root)
    {
        if (root is null) return "unknown (not in a git work tree)";
        var head = await GitAsync(root, "rev-parse --short=12 HEAD");
        if (head is null) return "unknown (git failed)";
        var dirty = await GitAsync(root, "status --porcelain --untracked-files=normal");
        return string.IsNullOrWhiteSpace(dirty) ? head : $"{head} + uncommitted changes";
    }

    private static async Task<string?> GitAsync(string root, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException or InvalidOperationException)
        {
            return null;
        }
    }
}
