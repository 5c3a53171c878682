using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Input;
using EnergyTrade.Cli.Output;
using EnergyTrade.Client.Reconciliation;
using EnergyTrade.Contracts.Security;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Reconcile;

/// <summary>
/// reconcile: checks Trade's totals for a pair against the sums Shipments computes from its own rows,
/// for the whole range and month by month in each direction; exit code 1 when any figure differs.
/// </summary>
public sealed class ReconcileCommand(CliEnvironment environment) : ServiceCommand<ReconcileSettings>(environment)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    protected override async Task<int> RunAsync(ReconcileSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var reconciler = new Reconciler(
            clients.ShipmentsViaCaller(RetryPolicy.Interactive, Scopes.ShipmentsRead),
            clients.TradeViaCaller(RetryPolicy.Interactive, Scopes.TradeRead))
        {
            Timeout = options.Timeout,
        };
        var country = CountryInput.Normalize(settings.Country);
        var partner = CountryInput.Normalize(settings.Partner);
        async Task<IReadOnlyList<ReconciliationReport>> Check()
        {
            var reports = new List<ReconciliationReport>();
            foreach (var origin in settings.OriginBases)
            {
                reports.Add(await reconciler.ReconcileAsync(country, partner, settings.FirstMonth, settings.LastMonth, origin, cancellationToken));
            }
            return reports;
        }

        var reports = await Check();
        if (settings.Wait > 0 && !Agree(reports))
        {
            var deadline = Environment.Clock.GetUtcNow() + TimeSpan.FromSeconds(settings.Wait);
            reports = options.Json
                ? await WaitAsync(Check, deadline, cancellationToken)
                : await Environment.Out.Status().StartAsync("Waiting for Trade to agree with Shipments…", _ => WaitAsync(Check, deadline, cancellationToken));
        }

        var period = MonthRangeInput.Describe(settings.FirstMonth?.ToString("yyyy-MM") ?? "", settings.LastMonth?.ToString("yyyy-MM") ?? "");
        if (options.Json) Environment.RawOut.WriteLine(ReconciliationJson.Format(settings.FirstMonth, settings.LastMonth, reports));
        else Environment.Out.Write(ReconciliationView.Render(period, reports));
        if (Agree(reports)) return ExitCodes.Success;

        var count = reports.Sum(r => r.Differences.Count);
        ErrorView.Write(Environment.Error, new FormattedError(settings.Wait > 0
            ? $"Trade still differs from Shipments in {Numbers.Count(count)} {(count == 1 ? "figure" : "figures")} after {settings.Wait} s."
            : $"Trade differs from Shipments in {Numbers.Count(count)} {(count == 1 ? "figure" : "figures")}. Trade applies changes asynchronously: " +
              "right after a change, add --wait 60 to give it time to catch up.", []));
        return ExitCodes.Failure;
    }

    private static bool Agree(IReadOnlyList<ReconciliationReport> reports) => reports.All(r => r.Agrees);

    /// <summary>Checks again until everything agrees or the wait is over; returns the last reports.</summary>
    private async Task<IReadOnlyList<ReconciliationReport>> WaitAsync(Func<Task<IReadOnlyList<ReconciliationReport>>> check, DateTimeOffset deadline,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            await Environment.Delay(PollInterval, cancellationToken);
            var reports = await check();
            if (Agree(reports) || Environment.Clock.GetUtcNow() >= deadline) return reports;
        }
    }
}
