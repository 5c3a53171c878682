using System.Collections.Concurrent;
using System.Diagnostics;
using EnergyTrade.Client.Reconciliation;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Google.Protobuf;
using Grpc.Core;
using static EnergyTrade.EndToEnd.Tests.Proto;
using EnergyTrade.Types.V1;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// The promise, checked after a run: what Trade and Shipments report for the suite's pairs moved by
/// exactly what the model's acknowledged shipments add up to — deltas, so other tests' data and earlier
/// runs do not matter — Trade refused nothing, the Reconciler agrees, and every shipment is as last acknowledged.
/// </summary>
public sealed class TotalsCheck(SystemFixture system)
{
    private const int Parallelism = 16;

    public sealed record Baseline(
        IReadOnlyDictionary<PairQuery, PairFigures> Trade, IReadOnlyDictionary<PairQuery, PairFigures> Summary, IReadOnlySet<string> Refused);

    public TimeSpan CatchUp { get; private set; }

    /// <summary>All months and each of <paramref name="months"/>, for every pair of the suite's countries on both bases.</summary>
    public static IReadOnlyList<PairQuery> Queries(IEnumerable<DateOnly> months) =>
        [.. PrivateCountries.Pairs().SelectMany(p => months.Select(m => (DateOnly?)m).Prepend(null).Select(m => new PairQuery(p.Country, p.Partner, p.OriginBasis, m)))];

    public async Task<Baseline> BaselineAsync(IReadOnlyList<PairQuery> queries)
    {
        var derived = new ConcurrentQueue<string>();
        return new Baseline(await ReadTradeAsync(queries, derived), await ReadSummaryAsync(queries), await RefusedAsync());
    }

    public async Task<List<string>> VerifyAsync(Baseline before, IReadOnlyList<PairQuery> queries, Ledger ledger, IEnumerable<string> refusedAsCancelled, TimeSpan timeout)
    {
        var failures = new List<string>();
        var shipments = ledger.Shipments;
        var expected = queries.ToDictionary(q => q, q => before.Trade[q].Plus(q.Of(shipments)));

        // Trade catches up asynchronously: poll until every answer is the expected one, or time runs out,
        // or Trade has refused an event of the run (then the totals will never be the model's).
        var clock = Stopwatch.StartNew();
        List<string> behind;
        var derived = new ConcurrentQueue<string>();
        Dictionary<PairQuery, PairFigures> trade;
        for (var poll = 1; ; poll++)
        {
            derived.Clear();
            trade = await ReadTradeAsync(queries, derived);
            behind = [.. queries.SelectMany(q => expected[q].Differences(trade[q], $"Trade {q}"))];
            if (behind.Count == 0 || clock.Elapsed > timeout) break;
            if (poll % 10 == 0 && (await RefusedAsync()).Except(before.Refused).Any()) break;
            await Task.Delay(200);
        }
        CatchUp = clock.Elapsed;
        if (behind.Count > 0) failures.Add($"Trade's totals after {CatchUp.TotalSeconds:F0} s are not the model's ({behind.Count} figures):\n    " + string.Join("\n    ", behind.Take(40)));
        failures.AddRange(derived);
        if (behind.Count == 0) failures.AddRange(await WorldAsync(queries, trade));

        var summary = await ReadSummaryAsync(queries);
        failures.AddRange(queries.SelectMany(q => before.Summary[q].Plus(q.Of(shipments)).Differences(summary[q], $"SummarizeShipments {q}")).Take(40));

        var refusedNow = await RefusedAsync();
        var fresh = refusedNow.Except(before.Refused).ToList();
        if (fresh.Count > 0) failures.Add($"Trade refused {fresh.Count} events during the run:\n    " + string.Join("\n    ", fresh.Take(20)));
        if (system.FreshSystem && refusedNow.Count > 0) failures.Add($"ListRefusedEvents is not empty ({refusedNow.Count}):\n    " + string.Join("\n    ", refusedNow.Take(20)));

        failures.AddRange(await ReconcileAsync(queries));
        failures.AddRange(await CurrentStateAsync(ledger));
        foreach (var name in refusedAsCancelled.Distinct())
        {
            if (ledger.Get(name) is { Active: true }) failures.Add($"UpdateShipment answered FAILED_PRECONDITION for {name}, which was never acknowledged as cancelled");
        }
        return failures;
    }

    private async Task<Dictionary<PairQuery, PairFigures>> ReadTradeAsync(IReadOnlyList<PairQuery> queries, ConcurrentQueue<string> derived)
    {
        var found = new ConcurrentDictionary<PairQuery, PairFigures>();
        await Parallel.ForEachAsync(queries, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (q, ct) =>
        {
            var request = new GetBilateralTotalsRequest
            {
                Country = q.Country, Partner = q.Partner, Basis = q.OriginBasis ? EnergyTrade.Types.V1.Basis.Origin : EnergyTrade.Types.V1.Basis.Commercial,
                GroupBy = { Dimension.Shipper, Dimension.Grade },
            };
            if (q.Month is { } m) request.FirstMonth = request.LastMonth = Month(m.Year, m.Month);
            var totals = await Ask(request, system.Trade.GetBilateralTotalsAsync(request, Deadline(60)));
            var figures = new PairFigures(FlowFigures.Of(totals.Exports), FlowFigures.Of(totals.Imports));
            foreach (var problem in GroupProblems(totals.Exports, $"Trade {q} exports").Concat(GroupProblems(totals.Imports, $"Trade {q} imports")))
            {
                derived.Enqueue(problem);
            }
            if (Usd(totals.Turnover) != figures.Exports.Value + figures.Imports.Value || Usd(totals.Balance) != figures.Exports.Value - figures.Imports.Value)
            {
                derived.Enqueue($"Trade {q}: turnover {Usd(totals.Turnover)} and balance {Usd(totals.Balance)} do not follow from exports {figures.Exports.Value} and imports {figures.Imports.Value}");
            }
            found[q] = figures;
        });
        return new Dictionary<PairQuery, PairFigures>(found);
    }

    /// <summary>
    /// A flow's groups by shipper and grade add up to the flow, and no two of them are one company and
    /// grade spelled differently (names match case-insensitively after trimming and collapsing spaces).
    /// </summary>
    private static IEnumerable<string> GroupProblems(FlowTotals flow, string label)
    {
        var sum = flow.Groups.Aggregate(FlowFigures.Zero, (total, g) => total.Plus(FlowFigures.Of(g.Totals)));
        foreach (var difference in FlowFigures.Of(flow).Differences(sum, label + " (the flow, then the sum of its groups by shipper and grade)"))
        {
            yield return difference;
        }
        var keys = flow.Groups.Select(g => string.Join(" | ", g.Keys)).ToList();
        foreach (var twins in keys.GroupBy(k => k.ToLowerInvariant()).Where(g => g.Count() > 1))
        {
            yield return $"{label}: groups {string.Join(", ", twins.Select(k => $"'{k}'"))} are one shipper and grade";
        }
    }

    /// <summary>
    /// WORLD is the sum over every partner: for each of the suite's traders, on the commercial basis,
    /// in all months and each month checked (the traders trade only with each other).
    /// </summary>
    private async Task<List<string>> WorldAsync(IReadOnlyList<PairQuery> queries, IReadOnlyDictionary<PairQuery, PairFigures> trade)
    {
        var failures = new ConcurrentQueue<string>();
        var months = queries.Select(q => q.Month).Distinct().ToList();
        var asks = PrivateCountries.Traders.SelectMany(c => months.Select(m => (Country: c, Month: m))).ToList();
        await Parallel.ForEachAsync(asks, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (ask, ct) =>
        {
            var expected = PairFigures.Zero;
            foreach (var partner in PrivateCountries.Traders.Where(p => p != ask.Country))
            {
                if (trade.TryGetValue(new PairQuery(ask.Country, partner, false, ask.Month), out var same)) expected = expected.Plus(same);
                else if (trade.TryGetValue(new PairQuery(partner, ask.Country, false, ask.Month), out var other)) expected = expected.Plus(new PairFigures(other.Imports, other.Exports));
            }
            var request = new GetBilateralTotalsRequest { Country = ask.Country, Partner = "WORLD" };
            if (ask.Month is { } m) request.FirstMonth = request.LastMonth = Month(m.Year, m.Month);
            var world = await Ask(request, system.Trade.GetBilateralTotalsAsync(request, Deadline(60)));
            var label = $"Trade {ask.Country}–WORLD {(ask.Month is { } month ? month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture) : "all months")} (against the sum over its partners)";
            foreach (var d in expected.Differences(new PairFigures(FlowFigures.Of(world.Exports), FlowFigures.Of(world.Imports)), label)) failures.Enqueue(d);
        });
        return [.. failures.Take(40)];
    }

    private async Task<Dictionary<PairQuery, PairFigures>> ReadSummaryAsync(IReadOnlyList<PairQuery> queries)
    {
        var found = new ConcurrentDictionary<PairQuery, PairFigures>();
        await Parallel.ForEachAsync(queries.GroupBy(q => (q.Country, q.Partner, q.OriginBasis)), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (pair, ct) =>
        {
            var request = new SummarizeShipmentsRequest
            {
                Country = pair.Key.Country, Partner = pair.Key.Partner, Basis = pair.Key.OriginBasis ? EnergyTrade.Types.V1.Basis.Origin : EnergyTrade.Types.V1.Basis.Commercial,
            };
            var summary = await Ask(request, system.Shipments.SummarizeShipmentsAsync(request, Deadline(60)));
            foreach (var q in pair)
            {
                var month = q.Month is { } m ? summary.Months.FirstOrDefault(s => s.Month.Year == m.Year && s.Month.Month == m.Month) : null;
                found[q] = q.Month is null
                    ? new PairFigures(FlowFigures.Of(summary.Exports), FlowFigures.Of(summary.Imports))
                    : new PairFigures(FlowFigures.Of(month?.Exports), FlowFigures.Of(month?.Imports));
            }
        });
        return new Dictionary<PairQuery, PairFigures>(found);
    }

    private async Task<HashSet<string>> RefusedAsync()
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var request = new ListRefusedEventsRequest { PageSize = 1000 };
        do
        {
            var page = await Ask(request, system.Trade.ListRefusedEventsAsync(request, Deadline(60)));
            foreach (var r in page.RefusedEvents) found.Add($"message {r.MessageId} {r.Shipment} v{r.Version} {r.ExporterCountry}->{r.ImporterCountry}: {r.Reason}");
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return found;
    }

    /// <summary>The Reconciler over all months of each pair, however many centuries they span.</summary>
    private async Task<List<string>> ReconcileAsync(IReadOnlyList<PairQuery> queries)
    {
        var reconciler = new Reconciler(system.Shipments, system.Trade) { Timeout = TimeSpan.FromSeconds(60) };
        var failures = new ConcurrentQueue<string>();
        var pairs = queries.Select(q => (q.Country, q.Partner, q.OriginBasis)).Distinct().ToList();
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = Parallelism / 2 }, async (pair, ct) =>
        {
            var report = await reconciler.ReconcileAsync(pair.Country, pair.Partner, originBasis: pair.OriginBasis, cancellationToken: ct);
            if (!report.Agrees || report.Refused.Count > 0) failures.Enqueue("Reconciler: " + report);
        });
        return [.. failures];
    }

    /// <summary>A read the checks depend on; any failure names the request, since it is a finding in itself.</summary>
    private static async Task<T> Ask<T>(IMessage request, AsyncUnaryCall<T> call)
    {
        try
        {
            return await call;
        }
        catch (RpcException ex)
        {
            throw new CheckReadFailedException($"{request.Descriptor.Name} {ScenarioRunner.Describe(request)} → {StatusTally.Name(ex.StatusCode)} \"{ex.Status.Detail}\"", ex);
        }
    }

    /// <summary>GetShipment of every shipment the model holds answers its newest acknowledged state.</summary>
    private async Task<List<string>> CurrentStateAsync(Ledger ledger)
    {
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(ledger.Shipments, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (view, ct) =>
        {
            var request = new GetShipmentRequest { Name = view.Name };
            var stored = ShipmentView.Of(await Ask(request, system.Shipments.GetShipmentAsync(request, Deadline(60))));
            if (stored != view) failures.Enqueue($"GetShipment {view.Name} is not its newest acknowledged state:\n    acknowledged {view}\n    stored       {stored}");
        });
        return [.. failures.Take(20)];
    }
}

public sealed class CheckReadFailedException(string message, Exception inner) : Exception(message, inner);
