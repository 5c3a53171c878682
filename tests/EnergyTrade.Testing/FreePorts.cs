using System.Net;
using System.Net.Sockets;

namespace EnergyTrade.Testing;

/// <summary>
/// Free TCP ports on loopback for the services and nodes tests start, drawn at random below the kernel's
/// ephemeral range (as scripts/lib/infra.sh's infra_free_port does): a port the kernel picked (bind to 0)
/// is one it may hand to the next outgoing connection before the service binds it.
/// </summary>
/// <remarks>
/// `dotnet test` runs the test assemblies as parallel processes, and a port one of them found free may be
/// drawn by another before its service binds it (seen once in CI: a Trade "address already in use").
/// So a port is reserved across processes by a file held open, unshared, for as long as the test process lives:
/// .NET takes an exclusive flock for FileShare.None on Linux, which the kernel drops when the process ends,
/// however it ends. Within a process a port is never handed out twice, so a service or node can restart on its
/// own port without anyone else having taken it in the meantime.
/// </remarks>
public static class FreePorts
{
    private static readonly HashSet<int> HandedOut = [];
    private static readonly List<FileStream> Held = [];
    private static readonly Lock Gate = new();
    private static readonly string Reservations = Path.Combine(Path.GetTempPath(), "energytrade-test-ports");

    public static int Next()
    {
        var (low, high) = BelowEphemeralRange();
        Directory.CreateDirectory(Reservations);
        for (var tries = 0; tries < 1000; tries++)
        {
            var port = Random.Shared.Next(low, high + 1);
            lock (Gate)
            {
                if (!HandedOut.Add(port)) continue;
            }
            if (IsBindable(port) && TryReserve(port)) return port;
        }
        throw new InvalidOperationException($"No free TCP port on 127.0.0.1 in {low}-{high} (reservations in {Reservations}).");
    }

    private static bool IsBindable(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            // As a server binds it: a port in TIME_WAIT after a stopped service is free for its listener.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool TryReserve(int port)
    {
        try
        {
            var file = new FileStream(Path.Combine(Reservations, port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            lock (Gate) Held.Add(file);
            return true;
        }
        catch (IOException)
        {
            // Held by another test process.
            return false;
        }
    }

    private static (int Low, int High) BelowEphemeralRange()
    {
        var (low, high) = (20_000, 32_767);
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            if (int.TryParse(first, out var ephemeral) && ephemeral > 12_000)
            {
                high = ephemeral - 1;
                low = Math.Min(low, high - 2_000);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux: keep the default range.
        }
        return (low, high);
    }
}
