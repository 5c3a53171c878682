using System.Collections.Concurrent;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// The model: every OK reply is the server's word on that shipment's state at the version it carries,
/// so the newest version seen is the shipment's current state, whatever order the replies came in.
/// </summary>
public sealed class Ledger
{
    private readonly ConcurrentDictionary<string, ShipmentView> _latest = new();
    private readonly ConcurrentDictionary<string, string> _byRequestId = new();
    private readonly ConcurrentQueue<string> _contradictions = new();
    private readonly Lock _lock = new();

    public IReadOnlyCollection<ShipmentView> Shipments => [.. _latest.Values];

    public IEnumerable<string> Contradictions => _contradictions;

    public long VersionOf(string name) => _latest.TryGetValue(name, out var view) ? view.Version : 0;

    public ShipmentView? Get(string name) => _latest.GetValueOrDefault(name);

    public void Observe(ShipmentView reply, string request)
    {
        lock (_lock)
        {
            if (!_latest.TryGetValue(reply.Name, out var known) || reply.Version > known.Version)
            {
                _latest[reply.Name] = reply;
            }
            else if (reply.Version == known.Version && reply != known)
            {
                _contradictions.Enqueue($"two replies for {reply.Name} v{reply.Version} differ:\n  {known}\n  {reply}\n  (the second answered {request})");
            }
        }
    }

    /// <summary>A request_id names one shipment for ever: every OK reply to a create carrying it must be that shipment.</summary>
    public void Claim(string requestId, string name, string request)
    {
        if (requestId.Length == 0) return;
        var holder = _byRequestId.GetOrAdd(requestId, name);
        if (holder != name) _contradictions.Enqueue($"request_id '{requestId}' answered with {holder} and with {name} (the second answered {request})");
    }
}
