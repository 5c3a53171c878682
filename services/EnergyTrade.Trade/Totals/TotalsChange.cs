using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Totals;

/// <summary>One (exporter, importer, origin) series of bilateral_totals rows, all months.</summary>
public readonly record struct TotalsFlow(string Exporter, string Importer, string Origin);

/// <summary>
/// Which flows one committed apply changed, as carried by PostgreSQL NOTIFY to every Trade replica.
/// Months are left out on purpose: a watcher re-reads its totals anyway, and the payload stays
/// small enough for pg_notify (at most 8000 bytes) for any realistic batch.
/// </summary>
public sealed class TotalsChange
{
    public const string Channel = "energytrade_totals_changed";

    /// <summary>The payload meaning "anything may have changed": too many flows to list, or notifications were missed.</summary>
    public const string EverythingPayload = "*";

    /// <summary>Below pg_notify's 8000-byte limit with room to spare; a larger change is sent as "*".</summary>
    public const int MaxPayloadBytes = 7000;

    public static readonly TotalsChange Everything = new(null);

    private readonly HashSet<TotalsFlow>? _flows;

    private TotalsChange(HashSet<TotalsFlow>? flows) => _flows = flows;

    public bool IsEverything => _flows is null;

    public IReadOnlyCollection<TotalsFlow> Flows => (IReadOnlyCollection<TotalsFlow>?)_flows ?? [];

    /// <summary>"AZBYAZ,AZBYRU": six letters per flow, sorted so equal changes give equal payloads.</summary>
    public static string Encode(IEnumerable<TotalsKey> keys)
    {
        var flows = keys.Select(k => k.ExporterCountry + k.ImporterCountry + k.OriginCountry)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        // Country codes are ASCII, so characters are bytes.
        var length = flows.Count * 7 - 1;
        return flows.Count == 0 || length > MaxPayloadBytes ? EverythingPayload : string.Join(',', flows);
    }

    /// <summary>Anything unreadable counts as everything: a needless re-read is cheap, a missed update is not.</summary>
    public static TotalsChange Parse(string? payload)
    {
        if (string.IsNullOrEmpty(payload) || payload == EverythingPayload) return Everything;
        var flows = new HashSet<TotalsFlow>();
        foreach (var item in payload.Split(','))
        {
            if (item.Length != 6) return Everything;
            flows.Add(new TotalsFlow(item[..2], item[2..4], item[4..]));
        }
        return new TotalsChange(flows);
    }

    /// <summary>Whether the totals between country and partner, either direction, on this basis, may differ now.</summary>
    public bool Touches(string country, string partner, V1.Basis basis)
    {
        if (_flows is null) return true;
        var byOrigin = basis == V1.Basis.Origin;
        foreach (var f in _flows)
        {
            var seller = byOrigin ? f.Origin : f.Exporter;
            if ((seller == country && f.Importer == partner) || (seller == partner && f.Importer == country)) return true;
        }
        return false;
    }
}
