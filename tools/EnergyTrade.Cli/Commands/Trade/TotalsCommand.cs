using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Input;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Spectre.Console;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Cli.Commands.Trade;

/// <summary>
/// trade totals: exports, imports, the split by origin, turnover and balance for a pair of countries;
/// with --compare, the same months a year earlier beside them.
/// </summary>
public sealed class TotalsCommand(CliEnvironment environment) : ServiceCommand<TotalsSettings>(environment)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    protected override bool WritesCsv => true;

    protected override async Task<int> RunAsync(TotalsSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var trade = clients.Trade(Scopes.TradeRead);
        if (settings.Compare) return await CompareAsync(settings, options, clients, trade, cancellationToken);
        var request = BuildRequest(settings);
        Task<BilateralTotals> Fetch() => clients.Caller.CallAsync(clients.TradeEndpoint, o => trade.GetBilateralTotalsAsync(request, o),
            RetryPolicy.Interactive, cancellationToken);

        BilateralTotals totals;
        IReadOnlyList<string> behind = [];
        if (settings.Wait > 0)
        {
            var shipments = clients.Shipments(Scopes.ShipmentsRead);
            var summaryRequest = BuildSummaryRequest(settings);
            async Task<(BilateralTotals, IReadOnlyList<string>)> Check()
            {
                var expected = await clients.Caller.CallAsync(clients.ShipmentsEndpoint, o => shipments.SummarizeShipmentsAsync(summaryRequest, o),
                    RetryPolicy.Interactive, cancellationToken);
                var actual = await Fetch();
                return (actual, CatchUpCheck.Differences(expected, actual));
            }

            var deadline = Environment.Clock.GetUtcNow() + TimeSpan.FromSeconds(settings.Wait);
            (totals, behind) = await Check();
            // A spinner only when there is something to wait for, and only above a table: it would land in JSON or CSV.
            if (behind.Count > 0)
            {
                (totals, behind) = options.Output == OutputFormat.Table
                    ? await Environment.Out.Status().StartAsync("Waiting for Trade to catch up with Shipments…", _ => WaitAsync(Check, deadline, cancellationToken))
                    : await WaitAsync(Check, deadline, cancellationToken);
            }
        }
        else
        {
            totals = await Fetch();
        }

        if (options.Json) WriteJson(totals);
        else if (options.Csv) TotalsCsv.Write(Environment.RawOut, totals, request.GroupBy);
        else Environment.Out.Write(TotalsView.Render(totals));
        if (behind.Count == 0) return ExitCodes.Success;
        ErrorView.Write(Environment.Error, new FormattedError(
            $"Trade had not caught up with Shipments after {settings.Wait} s; the totals above miss some changes.", behind));
        return ExitCodes.Failure;
    }

    /// <summary>--compare: the range against the same months a year earlier.</summary>
    private async Task<int> CompareAsync(TotalsSettings settings, CliOptions options, ServiceClients clients, TradeService.TradeServiceClient trade,
        CancellationToken cancellationToken)
    {
        var request = BuildCompareRequest(settings);
        var comparison = await clients.Caller.CallAsync(clients.TradeEndpoint, o => trade.CompareBilateralTotalsAsync(request, o),
            RetryPolicy.Interactive, cancellationToken);
        if (options.Json) WriteJson(comparison);
        else if (options.Csv) ComparisonCsv.Write(Environment.RawOut, comparison);
        else Environment.Out.Write(ComparisonView.Render(comparison));
        return ExitCodes.Success;
    }

    /// <summary>Polls until Trade's totals equal Shipments' own sums, or the wait is over; returns what is still different.</summary>
    private async Task<(BilateralTotals, IReadOnlyList<string>)> WaitAsync(Func<Task<(BilateralTotals, IReadOnlyList<string>)>> check,
        DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Environment.Delay(PollInterval, cancellationToken);
            var (totals, differences) = await check();
            if (differences.Count == 0 || Environment.Clock.GetUtcNow() >= deadline) return (totals, differences);
        }
    }

    public static GetBilateralTotalsRequest BuildRequest(TotalsSettings settings)
    {
        var request = new GetBilateralTotalsRequest
        {
            Country = CountryInput.Normalize(settings.Country),
            Partner = CountryInput.Normalize(settings.Partner),
            Basis = BasisInput.ToTrade(settings.OriginBasis),
        };
        if (settings.FirstMonth is { } first) request.FirstMonth = ProtoValues.Month(first);
        if (settings.LastMonth is { } last) request.LastMonth = ProtoValues.Month(last);
        settings.ApplyTo(request);
        return request;
    }

    /// <summary>Only valid with both months (settings validation requires them with --compare).</summary>
    public static CompareBilateralTotalsRequest BuildCompareRequest(TotalsSettings settings)
    {
        var request = new CompareBilateralTotalsRequest
        {
            Country = CountryInput.Normalize(settings.Country),
            Partner = CountryInput.Normalize(settings.Partner),
            Basis = BasisInput.ToTrade(settings.OriginBasis),
            FirstMonth = settings.YearToDate ? null : ProtoValues.Month(settings.FirstMonth!.Value),
            LastMonth = ProtoValues.Month(settings.LastMonth!.Value),
            YearToDate = settings.YearToDate,
        };
        settings.ApplyTo(request);
        return request;
    }

    private static SummarizeShipmentsRequest BuildSummaryRequest(TotalsSettings settings)
    {
        var request = new SummarizeShipmentsRequest
        {
            Country = CountryInput.Normalize(settings.Country),
            Partner = CountryInput.Normalize(settings.Partner),
            Basis = settings.OriginBasis ? EnergyTrade.Types.V1.Basis.Origin : EnergyTrade.Types.V1.Basis.Commercial,
        };
        if (settings.FirstMonth is { } first) request.FirstMonth = ProtoValues.Month(first);
        if (settings.LastMonth is { } last) request.LastMonth = ProtoValues.Month(last);
        return request;
    }
}
