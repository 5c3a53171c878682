using System.Globalization;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Client.Reconciliation;

/// <summary>
/// Compares Trade's totals for a pair with the exact sums Shipments computes from its own rows,
/// month by month and in each direction, and names every figure that differs. An empty report
/// means Trade holds exactly the current version of every shipment, each once.
/// </summary>
public sealed class Reconciler(ShipmentService.ShipmentServiceClient shipments, TradeService.TradeServiceClient trade)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public async Task<ReconciliationReport> ReconcileAsync(string country, string partner, DateOnly? firstMonth = null, DateOnly? lastMonth = null,
        bool originBasis = false, CancellationToken cancellationToken = default)
    {
        var summaryRequest = new SummarizeShipmentsRequest
        {
            Country = country, Partner = partner,
            Basis = originBasis ? Basis.Origin : Basis.Commercial,
        };
        var totalsRequest = new GetBilateralTotalsRequest
        {
            Country = country, Partner = partner,
            Basis = originBasis ? Basis.Origin : Basis.Commercial,
        };
        if (firstMonth is { } f) summaryRequest.FirstMonth = totalsRequest.FirstMonth = ProtoValues.Month(f);
        if (lastMonth is { } l) summaryRequest.LastMonth = totalsRequest.LastMonth = ProtoValues.Month(l);

        var summary = await shipments.SummarizeShipmentsAsync(summaryRequest, Options(cancellationToken));
        var totals = await trade.GetBilateralTotalsAsync(totalsRequest, Options(cancellationToken));

        var differences = new List<Difference>();
        var whole = firstMonth is null && lastMonth is null ? "all months" : $"{firstMonth:yyyy-MM}..{lastMonth:yyyy-MM}";
        Compare(differences, whole, $"{country}→{partner}", summary.Exports, totals.Exports);
        Compare(differences, whole, $"{partner}→{country}", summary.Imports, totals.Imports);

        // Month by month over every month either side knows of within the range.
        var months = summary.Months.Select(m => FromMonth(m.Month)).ToList();
        var first = firstMonth ?? months.DefaultIfEmpty().Min();
        var last = lastMonth ?? months.DefaultIfEmpty().Max();
        if (months.Count > 0 || (firstMonth is not null && lastMonth is not null))
        {
            var expected = summary.Months.ToDictionary(m => FromMonth(m.Month));
            // A series holds at most SeriesMonths months; a longer span is read window by window.
            var from = first;
            while (true)
            {
                var to = MonthsFrom(from, last) <= SeriesMonths ? last : from.AddMonths(SeriesMonths - 1);
                var series = await trade.GetTradeSeriesAsync(new GetTradeSeriesRequest
                {
                    Country = country, Partner = partner, FirstMonth = ProtoValues.Month(from), LastMonth = ProtoValues.Month(to), Basis = totalsRequest.Basis,
                }, Options(cancellationToken));
                foreach (var actual in series.Months)
                {
                    var month = FromMonth(actual.Month);
                    var reference = expected.GetValueOrDefault(month);
                    Compare(differences, $"{month:yyyy-MM}", $"{country}→{partner}", reference?.Exports, actual.Exports);
                    Compare(differences, $"{month:yyyy-MM}", $"{partner}→{country}", reference?.Imports, actual.Imports);
                }
                if (to == last) break;
                from = to.AddMonths(1);
            }
        }
        var refused = await RefusedAsync(country, partner, firstMonth, lastMonth, originBasis, cancellationToken);
        return new ReconciliationReport(country, partner, originBasis, differences) { Refused = refused };
    }

    /// <summary>
    /// What Trade refused that may explain a difference: refusals of shipments between the pair in
    /// the range (on the basis asked for), and any message Trade could not read at all.
    /// </summary>
    private async Task<IReadOnlyList<RefusedEvent>> RefusedAsync(string country, string partner, DateOnly? firstMonth, DateOnly? lastMonth,
        bool originBasis, CancellationToken cancellationToken)
    {
        bool Concerns(RefusedEvent r)
        {
            if (r.Shipment.Length == 0) return true;
            var seller = originBasis ? r.OriginCountry : r.ExporterCountry;
            var pair = (seller == country && r.ImporterCountry == partner) || (seller == partner && r.ImporterCountry == country);
            var month = r.Month is null ? (DateOnly?)null : FromMonth(r.Month);
            return pair && (month is null || ((firstMonth is null || month >= firstMonth) && (lastMonth is null || month <= lastMonth)));
        }

        var found = new List<RefusedEvent>();
        var request = new ListRefusedEventsRequest { PageSize = 1000 };
        try
        {
            do
            {
                var page = await trade.ListRefusedEventsAsync(request, Options(cancellationToken));
                found.AddRange(page.RefusedEvents.Where(Concerns));
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            // A Trade from before refusals were recorded: the differences still stand on their own.
        }
        return found;
    }

    private static void Compare(List<Difference> differences, string period, string direction, FlowSummary? expected, FlowTotals actual)
    {
        void Check(string measure, decimal shipmentsSide, decimal tradeSide)
        {
            if (shipmentsSide != tradeSide) differences.Add(new Difference(period, direction, measure, shipmentsSide, tradeSide));
        }
        Check("shipments", expected?.ShipmentCount ?? 0, actual.ShipmentCount);
        Check("barrels", ProtoValues.ToDecimal(expected?.Barrels), ProtoValues.ToDecimal(actual.Barrels));
        Check("tonnes", ProtoValues.ToDecimal(expected?.Tonnes), ProtoValues.ToDecimal(actual.Tonnes));
        Check("value_usd", ProtoValues.ToDecimal(expected?.Value), ProtoValues.ToDecimal(actual.Value));
        Check("valued_shipments", expected?.ValuedShipmentCount ?? 0, actual.ValuedShipmentCount);
    }

    /// <summary>The most months GetTradeSeries answers at once.</summary>
    private const int SeriesMonths = 600;

    /// <summary>Months from one first-of-month to another, both included.</summary>
    private static int MonthsFrom(DateOnly first, DateOnly last) => (last.Year - first.Year) * 12 + last.Month - first.Month + 1;

    private CallOptions Options(CancellationToken cancellationToken) => new(deadline: DateTime.UtcNow + Timeout, cancellationToken: cancellationToken);

    private static DateOnly FromMonth(Google.Type.Date d) => new(d.Year, d.Month, 1);
}

/// <summary>One figure that differs: what Shipments' rows sum to, and what Trade holds.</summary>
public sealed record Difference(string Period, string Direction, string Measure, decimal Shipments, decimal Trade)
{
    public override string ToString() =>
        $"{Period} {Direction} {Measure}: shipments {Shipments.ToString("N3", CultureInfo.InvariantCulture)}, trade {Trade.ToString("N3", CultureInfo.InvariantCulture)}";
}

public sealed record ReconciliationReport(string Country, string Partner, bool OriginBasis, IReadOnlyList<Difference> Differences)
{
    /// <summary>Shipment events Trade refused (ListRefusedEvents) that concern this pair and range: the usual reason for a difference.</summary>
    public IReadOnlyList<RefusedEvent> Refused { get; init; } = [];

    public bool Agrees => Differences.Count == 0;

    public override string ToString()
    {
        var text = Agrees
            ? $"{Country}–{Partner}: Trade agrees with Shipments."
            : $"{Country}–{Partner}: {Differences.Count} differences:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Differences);
        return Refused.Count == 0 ? text : text + Environment.NewLine + "Refused by Trade:" + string.Concat(Refused.Select(r =>
            $"{Environment.NewLine}  {(r.Shipment.Length > 0 ? $"{r.Shipment} v{r.Version}" : $"message {r.MessageId}")}: {r.Reason}"));
    }
}
