using System.Globalization;
using CsCheck;
using EnergyTrade.Contracts;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Google.Protobuf.WellKnownTypes;
using Xunit.Abstractions;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;
using EnergyTrade.Types.V1;

namespace EnergyTrade.IntegrationTests.Trade;

/// <summary>
/// "The as-of answer equals the totals recomputed from the shipment versions valid at that instant",
/// as a property: CsCheck generates histories of creates, amendments (of quantity, value, month,
/// countries and origin) and cancellations with their times in Shipments, publishes every version
/// once or twice in a random order, and then asks Trade, at every instant where anything changed (and
/// a microsecond before it), for pairs, WORLD and both bases, comparing each answer with a model
/// that knows only the history. Revision reports between random instants must add up the same way.
/// ENERGYTRADE_ASOF_RUNS sets how many histories (8 by default).
/// </summary>
[Trait("Category", "Integration")]
[Trait("Category", "Property")]
public sealed class AsOfPropertyTests(ITestOutputHelper output)
{
    private static readonly (string Exporter, string Importer)[] Pairs = [("AZ", "BY"), ("BY", "AZ"), ("AZ", "GE"), ("KZ", "BY"), ("RU", "AZ")];
    private static readonly string?[] Origins = ["AZ", "KZ", "RU", "BY", null];
    private static readonly (string Country, string Partner, bool ByOrigin)[] Questions =
        [("AZ", "BY", false), ("AZ", "BY", true), ("BY", "KZ", false), ("AZ", "WORLD", false), ("AZ", "WORLD", true)];
    private static readonly DateTimeOffset Epoch = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static int _year = 3000;

    /// <summary>What one version counts for: null figures when it cancels the shipment.</summary>
    private sealed record Figures(int Pair, int Origin, int Month, decimal Barrels, decimal? ValueUsd)
    {
        public string Exporter => Pairs[Pair].Exporter;
        public string Importer => Pairs[Pair].Importer;
        public string? OriginCountry => Origins[Origin];
    }

    private sealed record Version(long Number, DateTimeOffset At, Figures? Counts);

    private sealed record History(IReadOnlyList<IReadOnlyList<Version>> Shipments, int Shuffle, int Twice)
    {
        public override string ToString() => $"{Shipments.Count} shipments, {Shipments.Sum(s => s.Count)} versions, shuffle {Shuffle}, twice {Twice}";
    }

    private static readonly Gen<Figures> FiguresGen = Gen.Select(Gen.Int[0, Pairs.Length - 1], Gen.Int[0, Origins.Length - 1], Gen.Int[1, 4],
        Gen.Int[1, 2_000_000_000], Gen.Int[0, 3], Gen.Long[0, 9_999_999_999],
        (pair, origin, month, milliBarrels, valued, cents) => new Figures(pair, origin, month, milliBarrels / 1000m, valued == 0 ? null : cents / 100m));

    /// <summary>
    /// One shipment: a create and up to three amendments, perhaps ending in a cancellation, each
    /// recorded 1 s to 10 min after the one before; shipments start within the same 20 minutes, so
    /// their versions interleave and sometimes share an instant.
    /// </summary>
    private static readonly Gen<IReadOnlyList<Version>> ShipmentGen = Gen.Select(Gen.Int[0, 1200], FiguresGen.Array[1, 4], Gen.Int[1, 600].Array[3],
        Gen.Int[0, 3], (start, figures, gaps, cancel) =>
        {
            var versions = new List<Version>();
            var at = Epoch.AddSeconds(start);
            for (var i = 0; i < figures.Length; i++)
            {
                if (i > 0) at = at.AddSeconds(gaps[i - 1]);
                versions.Add(new Version(i + 1, at, figures[i]));
            }
            if (cancel == 0) versions.Add(new Version(versions.Count + 1, at.AddSeconds(gaps[^1]), null));
            return (IReadOnlyList<Version>)versions;
        });

    private static readonly Gen<History> HistoryGen = Gen.Select(ShipmentGen.Array[1, 25], Gen.Int, Gen.Int,
        (shipments, shuffle, twice) => new History(shipments, shuffle, twice));

    [Fact]
    public async Task As_of_any_instant_Trade_answers_the_totals_recomputed_from_the_versions_valid_then_whatever_the_order_and_repeats_of_delivery()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("asofprop");
        var (_, trade) = await sut.StartTradeAsync();
        await using var raw = await RawEvents.ConnectAsync(sut.VirtualHost.AmqpUri);
        var runs = int.TryParse(Environment.GetEnvironmentVariable("ENERGYTRADE_ASOF_RUNS"), out var n) ? n : 8;
        var checks = 0;

        await HistoryGen.SampleAsync(async history =>
        {
            // A year of its own per run (also when CsCheck shrinks), so runs cannot see each other's versions.
            var year = Interlocked.Increment(ref _year);
            var ids = history.Shipments.Select(_ => Guid.NewGuid()).ToArray();
            await PublishAsync(raw, history, ids, year);
            await Eventually.MatchAsync(() => sut.TradeDb.ScalarAsync<long>(
                    $"SELECT count(*) FROM shipment_versions WHERE shipment_id IN ({string.Join(", ", ids.Select(id => $"'{id}'"))})"),
                count => count == history.Shipments.Sum(s => s.Count), TimeSpan.FromSeconds(60), "every version recorded");
            await Eventually.MatchAsync(() => sut.VirtualHost.GetQueueAsync(QueueNames.TradeShipmentEvents),
                q => q?.Total == 0, TimeSpan.FromSeconds(30), "the queue to drain");

            var instants = history.Shipments.SelectMany(s => s.Select(v => v.At)).SelectMany(at => new[] { at, at.AddTicks(-10) })
                .Append(Epoch.AddDays(-1)).Distinct().Order().ToList();
            foreach (var (country, partner, byOrigin) in Questions)
            {
                foreach (var instant in instants)
                {
                    var totals = await trade.GetBilateralTotalsAsync(Request(country, partner, byOrigin, year, Timestamp.FromDateTimeOffset(instant)), Deadline());
                    AssertMatches(Model(history, instant, country, partner, byOrigin), totals, $"{country}-{partner} {(byOrigin ? "origin" : "commercial")} as of {instant:O}");
                    checks++;
                }
                // Today's figures, from bilateral_totals, are the history's newest versions too.
                var today = await trade.GetBilateralTotalsAsync(Request(country, partner, byOrigin, year, null), Deadline());
                AssertMatches(Model(history, DateTimeOffset.MaxValue, country, partner, byOrigin), today, $"{country}-{partner} today");
            }

            // The revision report between two instants: its figures are the two as-of answers and its
            // versions add up to their difference.
            var random = new Random(history.Shuffle);
            for (var i = 0; i < 6; i++)
            {
                var (a, b) = (instants[random.Next(instants.Count)], instants[random.Next(instants.Count)]);
                var (since, until) = a <= b ? (a, b) : (b, a);
                var report = await trade.GetRevisionReportAsync(new GetRevisionReportRequest
                {
                    Country = "AZ", Partner = "BY", FirstMonth = Month(year, 1), LastMonth = Month(year, 4), MaxChanges = 1000,
                    Since = Timestamp.FromDateTimeOffset(since), Until = Timestamp.FromDateTimeOffset(until),
                }, Deadline());
                var what = $"revisions AZ-BY {since:O}..{until:O}";
                var (before, after) = (Model(history, since, "AZ", "BY", false), Model(history, until, "AZ", "BY", false));
                Assert.True(Dec(report.Exports.Before.Barrels) == before.Exports.Barrels, what + ": exports before");
                Assert.True(Dec(report.Exports.After.Barrels) == after.Exports.Barrels, what + ": exports after");
                Assert.True(Dec(report.Imports.Change.Barrels) == after.Imports.Barrels - before.Imports.Barrels, what + ": imports change");
                Assert.True(report.Changes.Sum(c => Dec(c.Exports.Barrels)) == after.Exports.Barrels - before.Exports.Barrels, what + ": changes add up (exports)");
                Assert.True(report.Changes.Sum(c => c.Imports.ShipmentCount) == after.Imports.Count - before.Imports.Count, what + ": changes add up (import count)");
                Assert.True(report.Months.Sum(m => Dec(m.Exports.Change.Barrels)) == Dec(report.Exports.Change.Barrels), what + ": months add up");
                Assert.True(report.TotalChangeCount == ExpectedChanges(history, since, until, year), what + ": versions listed");
                checks++;
            }
        }, iter: runs, threads: 1, print: h => h.ToString());
        output.WriteLine($"{runs} histories, {checks} answers checked against the model");
    }

    private static async Task PublishAsync(RawEvents raw, History history, Guid[] ids, int year)
    {
        var events = new List<(ShipmentSnapshot Snapshot, ShipmentChangeKind Kind)>();
        for (var s = 0; s < history.Shipments.Count; s++)
        {
            var versions = history.Shipments[s];
            foreach (var v in versions)
            {
                // A cancellation keeps the figures of the version before it, as Shipments' snapshot does.
                var figures = v.Counts ?? versions.Last(p => p.Counts is not null).Counts!;
                var snapshot = RawEvents.Snapshot(ids[s], v.Number, figures.Barrels, year: year, month: figures.Month, exporter: figures.Exporter,
                    importer: figures.Importer, valueUsd: figures.ValueUsd,
                    state: v.Counts is null ? ShipmentState.Cancelled : ShipmentState.Active) with
                {
                    OriginCountry = figures.OriginCountry, CreateTime = versions[0].At, UpdateTime = v.At,
                    CancelReason = v.Counts is null ? "Generated cancellation" : null,
                };
                var kind = v.Number == 1 ? ShipmentChangeKind.Created : v.Counts is null ? ShipmentChangeKind.Cancelled : ShipmentChangeKind.Updated;
                events.Add((snapshot, kind));
            }
        }
        var random = new Random(history.Shuffle);
        var twice = new Random(history.Twice);
        var delivery = events.Concat(events.Where(_ => twice.Next(3) == 0)).OrderBy(_ => random.Next()).ToList();
        foreach (var (snapshot, kind) in delivery) await raw.PublishAsync(snapshot, kind: kind);
    }

    private sealed record Flow(long Count, decimal Barrels, decimal Tonnes, decimal Value, long Valued);

    private sealed record Expected(Flow Exports, Flow Imports);

    /// <summary>The answer recomputed from the history alone: each shipment's newest version recorded by then.</summary>
    private static Expected Model(History history, DateTimeOffset instant, string country, string partner, bool byOrigin)
    {
        var exports = new Flow(0, 0, 0, 0, 0);
        var imports = exports;
        foreach (var versions in history.Shipments)
        {
            if (versions.LastOrDefault(v => v.At <= instant)?.Counts is not { } f) continue;
            switch (Classify(f, country, partner, byOrigin))
            {
                case true: exports = Add(exports, f); break;
                case false: imports = Add(imports, f); break;
            }
        }
        return new Expected(exports, imports);
    }

    /// <summary>true: an export of the country; false: an import; null: not between them (the pair rule of docs/partner-groups.md).</summary>
    private static bool? Classify(Figures f, string country, string partner, bool byOrigin)
    {
        var seller = byOrigin ? f.OriginCountry : f.Exporter;
        if (partner == "WORLD")
        {
            if (seller == country && f.Importer != country) return true;
            if (f.Importer == country && seller != country) return false;
            return null;
        }
        if (seller == country && f.Importer == partner) return true;
        if (seller == partner && f.Importer == country) return false;
        return null;
    }

    private static Flow Add(Flow flow, Figures f) => new(flow.Count + 1, flow.Barrels + f.Barrels,
        flow.Tonnes + Math.Round(f.Barrels / 7.5m, 3, MidpointRounding.ToEven), flow.Value + (f.ValueUsd ?? 0), flow.Valued + (f.ValueUsd is null ? 0 : 1));

    /// <summary>Versions recorded after since and by until that count between AZ and BY (commercial), or whose predecessor did.</summary>
    private static long ExpectedChanges(History history, DateTimeOffset since, DateTimeOffset until, int year) =>
        history.Shipments.Sum(versions => versions.Select((v, i) => (v, previous: i > 0 ? versions[i - 1] : null))
            .Count(x => x.v.At > since && x.v.At <= until
                && (InScope(x.v.Counts) || InScope(x.previous?.Counts))));

    private static bool InScope(Figures? f) => f is not null && Classify(f, "AZ", "BY", false) is not null;

    private static void AssertMatches(Expected expected, BilateralTotals actual, string what)
    {
        Compare(expected.Exports, actual.Exports, what + ", exports");
        Compare(expected.Imports, actual.Imports, what + ", imports");
    }

    private static void Compare(Flow expected, FlowTotals actual, string what)
    {
        var found = new Flow(actual.ShipmentCount, Dec(actual.Barrels), Dec(actual.Tonnes), Usd(actual.Value), actual.ValuedShipmentCount);
        Assert.True(expected == found, $"{what}: expected {expected}, Trade answered {found}");
        Assert.True(actual.ByOrigin.Sum(o => Dec(o.Barrels)) == expected.Barrels, $"{what}: by_origin adds up to the flow");
    }

    private static GetBilateralTotalsRequest Request(string country, string partner, bool byOrigin, int year, Timestamp? asOf) => new()
    {
        Country = country, Partner = partner, Basis = byOrigin ? Basis.Origin : Basis.Commercial,
        FirstMonth = Month(year, 1), LastMonth = Month(year, 4), AsOf = asOf,
    };

    private static Google.Type.Date Month(int year, int month) => new() { Year = year, Month = month, Day = 0 };

    private static decimal Dec(Google.Type.Decimal? d) => d is null ? 0 : decimal.Parse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static decimal Usd(Google.Type.Money? m) => m is null ? 0 : m.Units + m.Nanos / 1_000_000_000m;
}
