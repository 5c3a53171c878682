using System.Globalization;
using EnergyTrade.Trade.V1;
using Grpc.Core;

namespace EnergyTrade.Benchmarks;

/// <summary>What Trade counts for the benchmark's pairs, read through GetBilateralTotals as any client would.</summary>
public sealed class TradeCounts(Clients clients)
{
    /// <summary>A far-future year no earlier run has written to (checked: every pair's totals are zero).</summary>
    public async Task<int> PickEmptyYearAsync((string Country, string Partner)[] pairs, Random random, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var year = random.Next(2500, 5000);
            var count = await CountAsync(pairs, Workload.Month(year, 1), Workload.Month(year, 12), cancellationToken);
            if (count == 0) return year;
            if (count is null) throw new InvalidOperationException("Trade's GetBilateralTotals does not answer; is the stack up?");
        }
        throw new InvalidOperationException("found no empty far-future year in 20 tries");
    }

    /// <summary>Shipments Trade counts over the range for these pairs, both directions; null if Trade did not answer.</summary>
    public async Task<long?> CountAsync((string Country, string Partner)[] pairs, Google.Type.Date first, Google.Type.Date last, CancellationToken cancellationToken)
    {
        try
        {
            var totals = await Task.WhenAll(pairs.Select(p => clients.Trade.GetBilateralTotalsAsync(
                Workload.Totals(p.Country, p.Partner, first, last), clients.Call(TimeSpan.FromSeconds(5), cancellationToken)).ResponseAsync));
            return totals.Sum(t => t.Exports.ShipmentCount + t.Imports.ShipmentCount);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            Console.WriteLine($"  (GetBilateralTotals: {e.StatusCode} {e.Status.Detail})");
            return null;
        }
    }

    public readonly record struct Check(bool Exact, bool Overshoot, string Description);

    public async Task<Check> CompareAsync((string Country, string Partner)[] pairs, Google.Type.Date first, Google.Type.Date last,
        Dictionary<Flow, (long Count, decimal Barrels)> expected, CancellationToken cancellationToken)
    {
        BilateralTotals[] totals;
        try
        {
            totals = await Task.WhenAll(pairs.Select(p => clients.Trade.GetBilateralTotalsAsync(
                Workload.Totals(p.Country, p.Partner, first, last), clients.Call(TimeSpan.FromSeconds(10), cancellationToken)).ResponseAsync));
        }
        catch (RpcException e)
        {
            return new Check(false, false, $"GetBilateralTotals failed: {e.StatusCode}");
        }
        var differences = new List<string>();
        var overshoot = false;
        for (var i = 0; i < pairs.Length; i++)
        {
            var (country, partner) = pairs[i];
            Compare(new Flow(country, partner), totals[i].Exports);
            Compare(new Flow(partner, country), totals[i].Imports);
        }
        return new Check(differences.Count == 0, overshoot, string.Join("; ", differences));

        void Compare(Flow flow, FlowTotals? actual)
        {
            var (count, barrels) = expected.GetValueOrDefault(flow);
            var actualCount = actual?.ShipmentCount ?? 0;
            var actualBarrels = Workload.Parse(actual?.Barrels);
            if (actualCount == count && actualBarrels == barrels) return;
            if (actualCount > count || actualBarrels > barrels) overshoot = true;
            differences.Add(string.Create(CultureInfo.InvariantCulture,
                $"{flow} count {actualCount:N0}/{count:N0} barrels {actualBarrels}/{barrels}"));
        }
    }
}
