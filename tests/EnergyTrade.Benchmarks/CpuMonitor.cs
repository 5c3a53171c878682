using System.Globalization;

namespace EnergyTrade.Benchmarks;

/// <summary>CPU used per phase by each part of the stack, as % of one core (Linux /proc; all on this machine).</summary>
public sealed record CpuUsage(string Phase, double Seconds, IReadOnlyList<(string Group, double Percent)> Groups, double MachinePercent, int Cores,
    IReadOnlyList<(string Process, double Percent)> TopOthers);

/// <summary>
/// Finds each part of the stack by the TCP port it listens on (Shipments, Trade, PostgreSQL, RabbitMQ) and adds
/// up the CPU time of that process and its descendants (PostgreSQL backends, Erlang helpers) between two samples;
/// "other" is whatever else the machine ran (the rest of /proc/stat's busy time).
/// </summary>
public sealed class CpuMonitor
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly List<(string Name, int Pid)> _roots = [];
    public bool Available { get; }
    public IReadOnlyList<string> Missing { get; }

    public CpuMonitor(IEnumerable<(string Name, int Port)> services)
    {
        var missing = new List<string>();
        Available = OperatingSystem.IsLinux() && File.Exists("/proc/net/tcp");
        if (Available)
        {
            var listeners = Listeners();
            foreach (var (name, port) in services)
            {
                if (listeners.TryGetValue(port, out var pid)) _roots.Add((name, pid));
                else missing.Add($"{name} (:{port})");
            }
        }
        _roots.Add(("benchmark", Environment.ProcessId));
        Missing = missing;
    }

    public string Describe() => string.Join(", ", _roots.Select(r => $"{r.Name} pid {r.Pid}"));

    /// <summary>Resident memory of the part named <paramref name="name"/> (its own process, VmRSS), or null when not watched.</summary>
    public long? ResidentBytes(string name)
    {
        if (!Available || _roots.FirstOrDefault(r => r.Name == name) is not { Pid: > 0 } root) return null;
        try
        {
            var line = File.ReadLines($"/proc/{root.Pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private readonly Dictionary<int, string> _labels = [];

    public Sample Take()
    {
        var stats = ScanAll();
        var children = stats.GroupBy(kv => kv.Value.Parent).ToDictionary(g => g.Key, g => g.Select(kv => kv.Key).ToList());
        var inGroups = new HashSet<int>();
        var groups = _roots.Select(r => (r.Name, GroupTicks(r.Pid, stats, children, inGroups))).ToList();
        var others = new Dictionary<int, long>();
        foreach (var (pid, stat) in stats)
        {
            if (inGroups.Contains(pid)) continue;
            others[pid] = stat.Own;
            if (!_labels.ContainsKey(pid)) _labels[pid] = Label(pid);
        }
        return new Sample(Clock.Now, groups, others, MachineTicks());
    }

    public CpuUsage Between(string phase, Sample from, Sample to)
    {
        var seconds = Clock.Seconds(from.At, to.At);
        double Percent(long ticks) => Math.Max(0, ticks) / TicksPerSecond / seconds * 100;
        var groups = to.Groups.Select((g, i) => (g.Name, Percent: Percent(g.Ticks - from.Groups[i].Ticks))).ToList();
        var machine = (to.Machine.Busy - from.Machine.Busy) / (double)Math.Max(1, to.Machine.Total - from.Machine.Total) * 100 * Environment.ProcessorCount;
        var known = groups.Sum(g => g.Percent);
        groups.Add(("other", Math.Max(0, machine - known)));
        // Processes alive at the end; ones that came and went inside the phase only show in "other".
        var top = to.Others
            .Select(kv => (Label: _labels.GetValueOrDefault(kv.Key, $"pid {kv.Key}"), Ticks: kv.Value - from.Others.GetValueOrDefault(kv.Key)))
            .GroupBy(x => x.Label).Select(g => (Process: g.Key, Percent: Percent(g.Sum(x => x.Ticks))))
            .Where(x => x.Percent >= 5).OrderByDescending(x => x.Percent).Take(3).ToList();
        return new CpuUsage(phase, seconds, groups, machine, Environment.ProcessorCount, top);
    }

    public sealed record Sample(long At, List<(string Name, long Ticks)> Groups, Dictionary<int, long> Others, (long Busy, long Total) Machine);

    /// <summary>A short name: the command, or for dotnet the assembly it runs (a test host: its test project).</summary>
    private static string Label(int pid)
    {
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            if (args.Length == 0) return "kernel";
            var exe = Path.GetFileName(args[0]);
            if (exe == "dotnet")
            {
                var deps = args.FirstOrDefault(a => a.EndsWith(".deps.json", StringComparison.Ordinal));
                var dll = args.Skip(1).FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
                if (dll is not null && Path.GetFileName(dll) == "testhost.dll" && deps is not null) return $"testhost {Path.GetFileName(deps)[..^".deps.json".Length]}";
                if (dll is not null && Path.GetFileNameWithoutExtension(dll).StartsWith("EnergyTrade.", StringComparison.Ordinal))
                {
                    return $"{Path.GetFileNameWithoutExtension(dll)} (another instance)";
                }
                if (dll is not null) return $"dotnet {Path.GetFileNameWithoutExtension(dll)}";
                return args.Length > 1 ? $"dotnet {args[1]}" : "dotnet";
            }
            if (exe is "postgres" or "beam.smp") return $"{exe} (another instance)";
            return exe;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"pid {pid}";
        }
    }

    /// <summary>Port → PID of the process holding a listening socket on it (IPv4 or IPv6).</summary>
    private static Dictionary<int, int> Listeners()
    {
        var inodeToPort = new Dictionary<string, int>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file)) continue;
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || f[3] != "0A") continue; // 0A = LISTEN
                var port = int.Parse(f[1][(f[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                inodeToPort[f[9]] = port;
            }
        }
        var result = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                foreach (var fd in Directory.EnumerateFiles(Path.Combine(dir, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is null || !target.StartsWith("socket:[", StringComparison.Ordinal)) continue;
                    if (inodeToPort.TryGetValue(target[8..^1], out var port)) result.TryAdd(port, pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return result;
    }

    private static Dictionary<int, (int Parent, long Own, long Children)> ScanAll()
    {
        var stats = new Dictionary<int, (int Parent, long Own, long Children)>();
        if (!OperatingSystem.IsLinux()) return stats;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            if (Stat(pid) is { } s) stats[pid] = s;
        }
        return stats;
    }

    /// <summary>CPU ticks of a process (own + reaped children) plus its live descendants' own ticks.</summary>
    private static long GroupTicks(int root, Dictionary<int, (int Parent, long Own, long Children)> stats, Dictionary<int, List<int>> children,
        HashSet<int> members)
    {
        if (!stats.TryGetValue(root, out var r)) return 0;
        members.Add(root);
        var total = r.Own + r.Children;
        var stack = new Stack<int>(children.GetValueOrDefault(root) ?? []);
        while (stack.Count > 0)
        {
            var pid = stack.Pop();
            members.Add(pid);
            total += stats[pid].Own;
            foreach (var c in children.GetValueOrDefault(pid) ?? []) stack.Push(c);
        }
        return total;
    }

    private static (int Parent, long Own, long Children)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name "(...)": state ppid ... utime(14) stime(15) cutime(16) cstime(17).
            var f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long L(int field) => long.Parse(f[field - 3], CultureInfo.InvariantCulture);
            return (int.Parse(f[1], CultureInfo.InvariantCulture), L(14) + L(15), L(16) + L(17));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static (long Busy, long Total) MachineTicks()
    {
        try
        {
            var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            var total = f.Take(8).Sum();
            var idle = f[3] + f[4];
            return (total - idle, total);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return (0, 1);
        }
    }
}
