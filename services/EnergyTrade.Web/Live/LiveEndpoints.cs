using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using EnergyTrade.Trade.V1;
using EnergyTrade.Web.Api;
using EnergyTrade.Web.Pairs;
using Grpc.Core;

namespace EnergyTrade.Web.Live;

/// <summary>
/// /api/live: server-sent events for one pair and range, one "totals" event each time Trade's
/// WatchBilateralTotals sends (the first right away), so the page refetches what it shows without a reload.
/// </summary>
public static partial class LiveEndpoints
{
    public sealed record TotalsChanged(DateTimeOffset? UpdateTime, string ExportsBarrels, string ImportsBarrels);

    public static IEndpointRouteBuilder MapLiveEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/live", (HttpRequest request, TradeService.TradeServiceClient trade, ILogger<TotalsChanged> logger,
            IHostApplicationLifetime lifetime, CancellationToken requestAborted) =>
        {
            // Read before the stream starts, so a bad query is a 400 and not a broken stream.
            var query = PairQuery.Read(request.Query);
            // A shutdown ends every stream at once, instead of holding the server's drain to its timeout; the browser reconnects.
            var ends = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
            request.HttpContext.Response.RegisterForDispose(ends);
            return TypedResults.ServerSentEvents(WatchAsync(query, trade, logger, ends.Token));
        });
        return app;
    }

    private static async IAsyncEnumerable<SseItem<TotalsChanged>> WatchAsync(PairQuery query, TradeService.TradeServiceClient trade,
        ILogger logger, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = trade.WatchBilateralTotals(query.Totals(), cancellationToken: cancellationToken);
        while (true)
        {
            BilateralTotals totals;
            try
            {
                if (!await call.ResponseStream.MoveNext(cancellationToken)) yield break;
                totals = call.ResponseStream.Current;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                // The browser's EventSource reconnects by itself, and a new watch starts with the current figures.
                WatchEnded(logger, query.Country, query.Partner, e.StatusCode);
                yield break;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            catch (RpcException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            yield return new SseItem<TotalsChanged>(
                new TotalsChanged(totals.UpdateTime?.ToDateTimeOffset(), Figures.Text(totals.Exports?.Barrels), Figures.Text(totals.Imports?.Barrels)), "totals");
        }
    }

    [LoggerMessage(1, LogLevel.Information, "The watch of {Country}-{Partner} ended ({StatusCode}); the browser reconnects")]
    private static partial void WatchEnded(ILogger logger, string country, string partner, StatusCode statusCode);
}
