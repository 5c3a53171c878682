using System.Net;

namespace EnergyTrade.Client.Auth;

/// <summary>
/// Whether an address stays on this machine: localhost, 127.0.0.0/8 or ::1 (also written as an IPv4-mapped address).
/// Only there may a bearer token travel in cleartext: a development provider, services started by scripts/up.sh.
/// </summary>
public static class Loopback
{
    public static bool Is(Uri url)
    {
        // DnsSafeHost is "::1" for http://[::1]:5300/; Host keeps the brackets.
        var host = url.DnsSafeHost;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        if (!IPAddress.TryParse(host, out var address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return IPAddress.IsLoopback(address);
    }

    /// <summary>Whether a token may be sent to <paramref name="url"/>: over https anywhere, over http only on this machine.</summary>
    public static bool MayCarryTokens(Uri url) => url.Scheme == Uri.UriSchemeHttps || Is(url);
}
