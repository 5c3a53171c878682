using Google.Rpc;

namespace EnergyTrade.ServiceDefaults;

/// <summary>Collects every problem with a request so the caller learns all of them at once.</summary>
public sealed class FieldViolations
{
    private readonly List<BadRequest.Types.FieldViolation> _items = [];

    public IReadOnlyList<BadRequest.Types.FieldViolation> Items => _items;
    public bool Any => _items.Count > 0;

    public void Add(string field, string description, string reason = "INVALID") =>
        _items.Add(RpcErrors.Violation(field, description, reason));

    public void ThrowIfAny()
    {
        if (Any) throw RpcErrors.InvalidArgument(_items);
    }
}
