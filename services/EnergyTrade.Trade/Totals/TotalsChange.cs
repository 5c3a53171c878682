using System.Globalization;
using V1 = EnergyTrade.Trade.V1;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Trade.Totals;

/// <summary>One (exporter, importer, origin) series of bilateral_totals rows, all months; Origin is empty when undisclosed.</summary>
public readonly record struct TotalsFlow(string Exporter, string Importer, string Origin)
{
    /// <summary>
    /// The pair rule, stated here for memory and by <see cref="SellerColumn"/> for SQL: a flow is trade
    /// between two countries when its importer is one of them and its seller the other. The importer
    /// tells the direction on both bases; the basis only decides who sells — the exporting country, or
    /// on the origin basis the country where the oil was produced.
    /// </summary>
    public bool IsBetween(string country, string partner, bool byOrigin)
    {
        var seller = byOrigin ? Origin : Exporter;
        return (seller == country && Importer == partner) || (seller == partner && Importer == country);
    }

    /// <summary>The bilateral_totals column that plays the seller on a basis; never user input.</summary>
    public static string SellerColumn(bool byOrigin) => byOrigin ? "origin_country" : "exporter_country";
}

/// <summary>
/// Which flows, and which of their months, one committed apply changed, as carried by PostgreSQL
/// NOTIFY to every Trade replica. Naming the months lets a watch of one month sleep through changes
/// to the others (and the totals cache keep them); when the months do not fit into pg_notify's
/// 8000 bytes, the flows alone are sent (every month of them counts as changed), and failing that "*".
/// </summary>
public sealed class TotalsChange
{
    public const string Channel = "energytrade_totals_changed";

    /// <summary>The payload meaning "anything may have changed": too many flows to list, or notifications were missed.</summary>
    public const string EverythingPayload = "*";

    /// <summary>Below pg_notify's 8000-byte limit with room to spare; a larger change is sent with fewer details.</summary>
    public const int MaxPayloadBytes = 7000;

    public static readonly TotalsChange Everything = new(null);

    // Per flow, the months that changed; null for every month.
    private readonly Dictionary<TotalsFlow, HashSet<DateOnly>?>? _flows;

    private TotalsChange(Dictionary<TotalsFlow, HashSet<DateOnly>?>? flows) => _flows = flows;

    public bool IsEverything => _flows is null;

    public IReadOnlyCollection<TotalsFlow> Flows => (IReadOnlyCollection<TotalsFlow>?)_flows?.Keys ?? [];

    /// <summary>The months of <paramref name="flow"/> that changed; null when every month may have.</summary>
    public IReadOnlySet<DateOnly>? MonthsOf(TotalsFlow flow) => _flows is not null && _flows.TryGetValue(flow, out var months) ? months : null;

    /// <summary>Stands for an undisclosed origin in a payload, where every flow takes six letters.</summary>
    private const string UndisclosedOrigin = "--";

    /// <summary>
    /// "AZBYAZ202001,AZBYRU202003": six letters and yyyyMM per changed flow and month — the loading
    /// month and, when there is one, the delivery month — or "AZBYAZ,AZBYRU": six letters per flow when
    /// the months do not fit; sorted so equal changes give equal payloads.
    /// </summary>
    public static string Encode(IEnumerable<TotalsKey> keys)
    {
        var rows = keys
            .SelectMany(k => new[] { k.Month, k.DeliveryMonth ?? k.Month }.Select(month =>
                string.Create(CultureInfo.InvariantCulture, $"{k.ExporterCountry}{k.ImporterCountry}{k.OriginCountry ?? UndisclosedOrigin}{month.Year:0000}{month.Month:00}")))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (rows.Count == 0) return EverythingPayload;
        // Country codes and digits are ASCII, so characters are bytes.
        if (rows.Count * 13 - 1 <= MaxPayloadBytes) return string.Join(',', rows);
        var flows = rows.Select(r => r[..6]).Distinct(StringComparer.Ordinal).ToList();
        return flows.Count * 7 - 1 <= MaxPayloadBytes ? string.Join(',', flows) : EverythingPayload;
    }

    /// <summary>Anything unreadable counts as everything: a needless re-read is cheap, a missed update is not.</summary>
    public static TotalsChange Parse(string? payload)
    {
        if (string.IsNullOrEmpty(payload) || payload == EverythingPayload) return Everything;
        var flows = new Dictionary<TotalsFlow, HashSet<DateOnly>?>();
        foreach (var item in payload.Split(','))
        {
            if (item.Length is not (6 or 12)) return Everything;
            var flow = new TotalsFlow(item[..2], item[2..4], item[4..6] == UndisclosedOrigin ? "" : item[4..6]);
            if (item.Length == 6)
            {
                flows[flow] = null;
                continue;
            }
            if (!int.TryParse(item.AsSpan(6, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) ||
                !int.TryParse(item.AsSpan(10, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month) ||
                year < 1 || month is < 1 or > 12)
            {
                return Everything;
            }
            if (!flows.TryGetValue(flow, out var months))
            {
                flows[flow] = months = [];
            }
            months?.Add(new DateOnly(year, month, 1));
        }
        return new TotalsChange(flows);
    }

    /// <summary>
    /// Whether an answer may differ now: whether a changed flow concerns it and, of those flows, a
    /// changed month matters to it (a flow whose months were not sent: every month).
    /// </summary>
    public bool Touches(Func<TotalsFlow, bool> concerns, Func<DateOnly, bool> monthMatters)
    {
        if (_flows is null) return true;
        foreach (var (flow, months) in _flows)
        {
            if (!concerns(flow)) continue;
            if (months is null || months.Any(monthMatters)) return true;
        }
        return false;
    }
}
