using System.Globalization;
using Grpc.Core;

namespace EnergyTrade.Cli.Grpc;

/// <summary>
/// Estimates how far the service's clock is from ours, from the HTTP Date header of its responses,
/// so a shipment's create_time (server clock) can be compared with when a run started (our clock).
/// The estimate never exceeds the true offset: Date is truncated to the second and stamped before
/// the response left the server, so (Date − time received) is a lower bound; the largest seen is kept.
/// </summary>
public sealed class ServerClock
{
    private readonly Lock _lock = new();
    private TimeSpan? _offset;

    /// <summary>Server time minus client time, at most; null until a response carried a Date header.</summary>
    public TimeSpan? Offset
    {
        get { lock (_lock) return _offset; }
    }

    public void Observe(Metadata responseHeaders, DateTimeOffset receivedAt)
    {
        if (responseHeaders.GetValue("date") is not { } text
            || !DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var serverTime))
        {
            return;
        }
        var offset = serverTime - receivedAt;
        lock (_lock)
        {
            if (_offset is null || offset > _offset) _offset = offset;
        }
    }

    /// <summary>
    /// A client instant in server time, never later than the truth. Without any Date header the
    /// clocks are assumed to agree (NTP keeps them within well under a second).
    /// </summary>
    public DateTimeOffset ToServerTime(DateTimeOffset clientTime) => clientTime + (Offset ?? TimeSpan.Zero);
}
