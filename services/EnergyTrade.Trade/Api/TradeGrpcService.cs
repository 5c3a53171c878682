using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Trade.Partners;
using EnergyTrade.Trade.Refusals;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = EnergyTrade.Trade.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>Validates each request, then hands it to the query that answers it. Every method needs trade:read.</summary>
[Authorize(Policy = Scopes.TradeRead)]
public sealed class TradeGrpcService(TotalsStore totals, TotalsWatch watch, RefusalLog refusals, PartnerGroups groups, RevisionReports revisions,
    TimeProvider time)
    : V1.TradeService.TradeServiceBase
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;
    public const int DefaultMaxChanges = 100;
    public const int MaxChanges = 1000;

    public override async Task<V1.BilateralTotals> GetBilateralTotals(V1.GetBilateralTotalsRequest request, ServerCallContext context)
    {
        var q = ValidPair(request);
        return (await totals.PairAsync(q, context.CancellationToken)).Proto;
    }

    public override async Task<V1.TradeSeries> GetTradeSeries(V1.GetTradeSeriesRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var q = RequestRules.Pair(request.Country, request.Partner, request.FirstMonth, request.LastMonth, request.Basis, groups, violations);
        q = RequestRules.Sliced(q, request, violations);
        RequestRules.MonthByMonth(request.FirstMonth, request.LastMonth, q.Range, violations);
        var granularity = RequestRules.Granularity(request.Granularity, violations);
        violations.ThrowIfAny();

        var sums = await totals.MonthlyAsync(q, context.CancellationToken);
        return MonthlySeries.Build(q, q.Range.First!.Value, q.Range.Last!.Value, sums, granularity);
    }

    public override async Task<V1.BilateralComparison> CompareBilateralTotals(V1.CompareBilateralTotalsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var firstMonth = RequestRules.ComparisonStart(request, violations);
        var q = RequestRules.Pair(request.Country, request.Partner, firstMonth, request.LastMonth, request.Basis, groups, violations);
        q = RequestRules.Sliced(q, request, violations);
        if (!request.YearToDate) RequestRules.RequireMonth(request.FirstMonth, "first_month", violations);
        RequestRules.RequireMonth(request.LastMonth, "last_month", violations);
        if (q.Range.First is { Year: < 2 })
        {
            violations.Add("first_month", "must be in year 2 or later: the comparison range starts twelve months earlier.", "OUT_OF_RANGE");
        }
        violations.ThrowIfAny();

        var current = await totals.PairAsync(q, context.CancellationToken);
        var previous = await totals.PairAsync(Comparison.YearEarlier(q), context.CancellationToken);
        return Comparison.Of(current.Totals, previous.Totals);
    }

    public override async Task<V1.ListPartnersResponse> ListPartners(V1.ListPartnersRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        RequestRules.Country(request.Country, "country", violations);
        var range = MonthRange.Parse(request.FirstMonth, request.LastMonth, "first_month", "last_month", violations);
        var basis = RequestRules.Basis(request.Basis, violations);
        var orderBy = RequestRules.Order(request.OrderBy, violations);
        var asOf = RequestRules.Instant(request.AsOf, "as_of", violations);
        if (request.PageSize < 0) violations.Add("page_size", "must not be negative.", "OUT_OF_RANGE");
        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var filter = PartnersPageToken.FilterOf(request.Country, range, basis, orderBy, asOf);
        var offset = 0;
        if (request.PageToken.Length > 0)
        {
            if (PartnersPageToken.TryDecode(request.PageToken, out var token) && token!.Filter == filter) offset = token.Offset;
            else violations.Add("page_token", "is not a token returned by ListPartners for these same filters.", "INVALID_PAGE_TOKEN");
        }
        violations.ThrowIfAny();

        // A country has at most 248 partners, so the whole ranking is computed (grouped in SQL) and
        // paged in memory: simpler than a keyset over sums, and each page is consistent with its rank numbers.
        var sums = await totals.PartnersAsync(request.Country, range, basis, asOf, context.CancellationToken);
        var ranked = PartnerRanking.Rank(sums, orderBy, range.Days);
        var response = new V1.ListPartnersResponse();
        if (asOf is { } instant) response.AsOf = ProtoConvert.ToTimestamp(instant);
        response.Partners.AddRange(ranked.Skip(offset).Take(pageSize));
        if ((long)offset + pageSize < ranked.Count)
        {
            response.NextPageToken = new PartnersPageToken(offset + pageSize, filter).Encode();
        }
        return response;
    }

    public override async Task<V1.RevisionReport> GetRevisionReport(V1.GetRevisionReportRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var q = RequestRules.Pair(request.Country, request.Partner, request.FirstMonth, request.LastMonth, request.Basis, groups, violations);
        q = RequestRules.Sliced(q, request, violations);
        RequestRules.MonthByMonth(request.FirstMonth, request.LastMonth, q.Range, violations);
        if (request.Since is null) violations.Add("since", "is required: the instant the report's figures are revised from.", "REQUIRED");
        var since = RequestRules.Instant(request.Since, "since", violations);
        var until = RequestRules.Instant(request.Until, "until", violations) ?? time.GetUtcNow();
        if (since > until) violations.Add("until", "is before since: the report runs from since to until.", "EMPTY_RANGE");
        if (request.MaxChanges < 0) violations.Add("max_changes", "must not be negative.", "OUT_OF_RANGE");
        violations.ThrowIfAny();

        var maxChanges = request.MaxChanges == 0 ? DefaultMaxChanges : Math.Min(request.MaxChanges, MaxChanges);
        return await revisions.BuildAsync(q, since!.Value, until, maxChanges, context.CancellationToken);
    }

    public override async Task WatchBilateralTotals(V1.GetBilateralTotalsRequest request, IServerStreamWriter<V1.BilateralTotals> responseStream,
        ServerCallContext context)
    {
        var q = ValidPair(request, watching: true);
        await watch.RunAsync(q, responseStream, context.CancellationToken);
    }

    public override async Task<V1.ListRefusedEventsResponse> ListRefusedEvents(V1.ListRefusedEventsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        if (request.PageSize < 0) violations.Add("page_size", "must not be negative.", "OUT_OF_RANGE");
        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        RefusalPosition? after = null;
        if (request.PageToken.Length > 0 && !PageTokens.TryDecode(request.PageToken, out after))
        {
            violations.Add("page_token", "is not a token returned by ListRefusedEvents.", "INVALID_PAGE_TOKEN");
        }
        violations.ThrowIfAny();

        var page = await refusals.ListAsync(pageSize + 1, after is null ? null : (after.RefusedAt, after.MessageId, after.ShipmentId), context.CancellationToken);
        var response = new V1.ListRefusedEventsResponse();
        response.RefusedEvents.AddRange(page.Take(pageSize).Select(RefusedEvents.ToProto));
        if (page.Count > pageSize)
        {
            var last = page[pageSize - 1];
            response.NextPageToken = PageTokens.Encode(new RefusalPosition(last.RefusedAt, last.MessageId, last.ShipmentId));
        }
        return response;
    }

    [Authorize(Policy = Scopes.TradeAdmin)]
    public override async Task<V1.DismissRefusedEventsResponse> DismissRefusedEvents(V1.DismissRefusedEventsRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.MessageId, out var messageId))
        {
            var violations = new FieldViolations();
            violations.Add("message_id", "must be a message id as ListRefusedEvents shows it (a UUID).", "INVALID_ID");
            violations.ThrowIfAny();
        }
        return new V1.DismissRefusedEventsResponse { DismissedCount = await refusals.DismissAsync(messageId, context.CancellationToken) };
    }

    private PairQuery ValidPair(V1.GetBilateralTotalsRequest request, bool watching = false)
    {
        var violations = new FieldViolations();
        var q = RequestRules.Pair(request.Country, request.Partner, request.FirstMonth, request.LastMonth, request.Basis, groups, violations);
        q = RequestRules.Sliced(q, request, violations);
        if (watching && request.AsOf is not null)
        {
            violations.Add("as_of", "must be unset: a watch follows today's figures. Ask GetBilateralTotals for figures as of an instant.", "NOT_SUPPORTED");
        }
        violations.ThrowIfAny();
        return q;
    }

    /// <summary>Where a ListRefusedEvents page ended.</summary>
    private sealed record RefusalPosition(DateTimeOffset RefusedAt, Guid MessageId, Guid ShipmentId);
}
