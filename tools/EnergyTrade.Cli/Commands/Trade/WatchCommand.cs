using System.Runtime.CompilerServices;
using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Input;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using Spectre.Console;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Cli.Commands.Trade;

/// <summary>
/// trade watch: the totals at once, then a line each time they change, until Ctrl-C. The stream has
/// no deadline of its own; --timeout bounds the wait for its first answer. When the serving replica
/// shuts down (the stream ends) or Trade is briefly unreachable, the watch is opened again.
/// </summary>
public sealed class WatchCommand(CliEnvironment environment) : ServiceCommand<WatchSettings>(environment)
{
    /// <summary>The pause before re-opening a stream the service ended, so a replica that keeps closing it is not hammered.</summary>
    public static readonly TimeSpan ReopenDelay = TimeSpan.FromMilliseconds(500);

    protected override async Task<int> RunAsync(WatchSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var trade = clients.Trade(Scopes.TradeRead);
        var request = BuildRequest(settings);
        BilateralTotals? shown = null;
        var retry = RetryPolicy.Watch.Pipeline(Environment.Clock, (error, wait) =>
            ErrorView.Warn(Environment.Error, $"Lost the watch ({error.StatusCode}); opening it again in {ImportReportView.Seconds(wait)} s."));
        RpcException? brokeAfterAnswering = null;
        try
        {
            while (true)
            {
                // A stream that answered starts the count of failures again, which one run of the pipeline cannot:
                // its failure is carried into a new run, where it is the first, waited for and reported as any other.
                var carried = brokeAfterAnswering;
                var attempts = 0;
                try
                {
                    brokeAfterAnswering = await retry.ExecuteAsync<RpcException?>(async token =>
                    {
                        if (++attempts == 1 && carried is not null) throw carried;
                        var answered = false;
                        try
                        {
                            await foreach (var totals in OpenAsync(trade, request, options.Timeout, token))
                            {
                                answered = true;
                                // A re-opened stream starts with the current totals, which may be what is on screen already.
                                if (totals.Equals(shown)) continue;
                                Show(options, shown, totals);
                                shown = totals;
                            }
                            return null;
                        }
                        catch (RpcException error) when (answered && !token.IsCancellationRequested)
                        {
                            return error;
                        }
                    }, cancellationToken);
                }
                catch (RpcException error) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new ServiceCallException(clients.TradeEndpoint, options.Timeout, attempts, error);
                }
                if (brokeAfterAnswering is null)
                {
                    ErrorView.Warn(Environment.Error, "Trade ended the watch (a replica shutting down); opening it again.");
                    await Environment.Delay(ReopenDelay, cancellationToken);
                }
            }
        }
        catch (Exception stopped) when (cancellationToken.IsCancellationRequested
            && stopped is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Ctrl-C is how a watch ends: the exit code of every cancelled command, without calling it an error.
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>One stream's messages; DEADLINE_EXCEEDED when the first does not come within <paramref name="timeout"/>.</summary>
    private static async IAsyncEnumerable<BilateralTotals> OpenAsync(TradeService.TradeServiceClient trade, GetBilateralTotalsRequest request,
        TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var firstAnswer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        firstAnswer.CancelAfter(timeout);
        using var call = trade.WatchBilateralTotals(request, new CallOptions(cancellationToken: firstAnswer.Token));
        while (true)
        {
            bool more;
            try
            {
                more = await call.ResponseStream.MoveNext(firstAnswer.Token);
            }
            catch (Exception e) when (firstAnswer.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                throw new RpcException(new global::Grpc.Core.Status(StatusCode.DeadlineExceeded, "The watch sent nothing within the timeout."));
            }
            if (!more) yield break;
            // Answered: from now on the stream runs as long as it takes.
            firstAnswer.CancelAfter(Timeout.InfiniteTimeSpan);
            yield return call.ResponseStream.Current;
        }
    }

    private void Show(CliOptions options, BilateralTotals? previous, BilateralTotals totals)
    {
        if (options.Json)
        {
            // One message per line (JSON Lines), so a script can act on each as it comes.
            Environment.RawOut.WriteLine(JsonOutput.FormatLine(totals));
            Environment.RawOut.Flush();
        }
        else if (previous is null)
        {
            Environment.Out.Write(TotalsView.Render(totals));
            Environment.Out.Write(new Text($"Watching for changes; Ctrl-C stops.{System.Environment.NewLine}", new Style(Color.Grey)));
        }
        else
        {
            Environment.Out.Write(new Text(WatchView.Change(previous, totals, Environment.Clock.GetUtcNow()) + System.Environment.NewLine));
        }
    }

    public static GetBilateralTotalsRequest BuildRequest(WatchSettings settings)
    {
        var request = new GetBilateralTotalsRequest
        {
            Country = CountryInput.Normalize(settings.Country),
            Partner = CountryInput.Normalize(settings.Partner),
            Basis = BasisInput.ToTrade(settings.OriginBasis),
        };
        if (settings.FirstMonth is { } first) request.FirstMonth = ProtoValues.Month(first);
        if (settings.LastMonth is { } last) request.LastMonth = ProtoValues.Month(last);
        return request;
    }
}
