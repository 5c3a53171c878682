using EnergyTrade.Trade.Partners;
using EnergyTrade.Trade.Totals;
using V1 = EnergyTrade.Trade.V1;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// What every bilateral answer is asked for: a validated country and partner (a country, or a set
/// of them: WORLD or a group), an inclusive month range, the seller basis and the month basis (never
/// UNSPECIFIED here), which shipments to count and how to group them, and as of when.
/// </summary>
public sealed record PairQuery(string Country, string Partner, MonthRange Range, Basis Basis)
{
    public V1.PeriodBasis Period { get; init; } = V1.PeriodBasis.Loading;

    public TotalsSlice Slice { get; init; } = TotalsSlice.Everything;

    /// <summary>The partner's members when it is WORLD or a group; null when it is one country.</summary>
    public PartnerSet? Partners { get; init; }

    /// <summary>The instant the figures are as of, by Shipments' time; null for today's figures.</summary>
    public DateTimeOffset? AsOf { get; init; }

    public bool ByOrigin => Basis == Basis.Origin;

    public bool ByDelivery => Period == V1.PeriodBasis.Delivery;

    /// <summary>The country imports what comes to it; the partner side imports the rest.</summary>
    public FlowDirection DirectionOf(string importer) => importer == Country ? FlowDirection.Imports : FlowDirection.Exports;

    /// <summary>Whether a change to this flow may change the answer (members of a group in any month).</summary>
    public bool Concerns(TotalsFlow flow)
    {
        if (Partners is null) return flow.IsBetween(Country, Partner, ByOrigin);
        var seller = ByOrigin ? flow.Origin : flow.Exporter;
        return (seller == Country && flow.Importer != Country && Partners.EverIncludes(flow.Importer))
            || (flow.Importer == Country && seller != Country && Partners.EverIncludes(seller));
    }

    /// <summary>
    /// Whether a change in this month may change the answer: a month of the range, or on the delivery
    /// basis any month up to its end, as what is in transit at the end reaches back to any loading.
    /// </summary>
    public bool MayChangeIn(DateOnly month) => ByDelivery ? Range.Last is not { } last || month <= last : Range.Contains(month);
}
