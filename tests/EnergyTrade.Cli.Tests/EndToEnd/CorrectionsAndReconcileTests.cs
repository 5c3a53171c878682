using System.Globalization;
using System.Text.Json;
using EnergyTrade.Cli.Tests.Support;

namespace EnergyTrade.Cli.Tests.EndToEnd;

/// <summary>
/// Corrections through the real services: the seed's March Urals cargo amended, then cancelled, and
/// `reconcile AZ BY` agreeing after each; a `trade watch` running alongside sees every change.
/// Services and databases of its own (a class fixture), so the seed figures of the other class stay intact.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CorrectionsAndReconcileTests(ServicesFixture services) : IClassFixture<ServicesFixture>
{
    private static readonly string SeedFile = Path.Combine(AppContext.BaseDirectory, "seed", "azerbaijan-belarus-2020.csv");
    // Trade applies changes asynchronously; reconcile --wait gives it this long.
    private const string CatchUpSeconds = "60";

    private static JsonElement Json(CliRun run) => JsonDocument.Parse(run.Json.ToString()).RootElement;

    private static decimal Dec(JsonElement decimalMessage) =>
        decimal.Parse(decimalMessage.GetProperty("value").GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);

    private async Task<CliRun> Run(int expectedExit, params string[] args)
    {
        var run = services.Cli();
        var exit = await run.RunAsync(args);
        Assert.True(exit == expectedExit, $"energytrade {string.Join(' ', args)} exited {exit}, not {expectedExit}:\n{run.Out}{run.Json}\n{run.Error}");
        return run;
    }

    /// <summary>Every figure Trade holds for AZ–BY equals Shipments' own sums, once Trade has caught up.</summary>
    private async Task ReconcileAgrees(params string[] options)
    {
        var run = await Run(0, ["reconcile", "AZ", "BY", "--wait", CatchUpSeconds, .. options]);
        Assert.Contains("Trade agrees with Shipments", run.Out.ToString());
        Assert.DoesNotContain("differs", run.Out.ToString());
    }

    private async Task<JsonElement> Exports()
    {
        var totals = await Run(0, "trade", "totals", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--output", "json");
        return Json(totals).GetProperty("exports");
    }

    /// <summary>The exports barrels of each message the watch has printed so far (one JSON message per line).</summary>
    private static List<decimal> Watched(CliRun watch) =>
    [
        .. watch.Json.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => Dec(JsonDocument.Parse(line).RootElement.GetProperty("exports").GetProperty("barrels"))),
    ];

    private static async Task WatchSees(CliRun watch, decimal barrels)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Watched(watch).Contains(barrels))
        {
            Assert.True(DateTime.UtcNow < deadline, $"trade watch never printed {barrels} bbl; it printed:\n{watch.Json}\n{watch.Error}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Amending_then_cancelling_the_march_urals_cargo_keeps_trade_in_agreement_with_shipments()
    {
        await Run(0, "shipments", "import", SeedFile, "--output", "json");
        await ReconcileAgrees();

        var list = await Run(0, "shipments", "list", "--exporter", "AZ", "--importer", "BY", "--origin", "RU", "--from", "2020-03", "--to", "2020-03", "--output", "json");
        var urals = Assert.Single(Json(list).GetProperty("shipments").EnumerateArray());
        Assert.Equal("Urals", urals.GetProperty("grade").GetString());
        var name = urals.GetProperty("name").GetString()!;

        using var stopWatching = new CancellationTokenSource();
        var watch = services.Cli();
        watch.Cancellation = stopWatching.Token;
        var watching = watch.RunAsync("trade", "watch", "AZ", "BY", "--from", "2020-01", "--to", "2020-04", "--output", "json");
        try
        {
            await WatchSees(watch, 3_830_000m);

            // 80,000 t at 7.25 bbl/t (580,000 bbl) was in fact 85,000 t of a lighter Urals at 7.5 bbl/t.
            var amend = await Run(0, "shipments", "amend", name, "--quantity", "85000", "--unit", "t", "--barrels-per-tonne", "7.5");
            Assert.Contains($"Amended {name}: version 1 → 2.", amend.Out.ToString());
            Assert.Matches(@"Barrels\s+│ 580,000 bbl\s+│ 637,500 bbl\s+│\s+\+57,500 bbl │", amend.Out.ToString());
            await ReconcileAgrees();
            var exports = await Exports();
            Assert.Equal(("5", 3_887_500m), (exports.GetProperty("shipmentCount").GetString(), Dec(exports.GetProperty("barrels"))));
            await WatchSees(watch, 3_887_500m);

            var cancel = await Run(0, "shipments", "cancel", name, "--reason", "cargo did not load", "--version", "2", "--output", "json");
            Assert.Equal(("STATE_CANCELLED", "3", "cargo did not load"), (Json(cancel).GetProperty("state").GetString(),
                Json(cancel).GetProperty("version").GetString(), Json(cancel).GetProperty("cancelReason").GetString()));
            await ReconcileAgrees("--basis", "both");
            exports = await Exports();
            Assert.Equal(("4", 3_250_000m), (exports.GetProperty("shipmentCount").GetString(), Dec(exports.GetProperty("barrels"))));
            Assert.DoesNotContain("RU", exports.GetProperty("byOrigin").EnumerateArray().Select(o => o.GetProperty("originCountry").GetString()));
            await WatchSees(watch, 3_250_000m);
        }
        finally
        {
            stopWatching.Cancel();
        }
        Assert.Equal(130, await watching);
        Assert.Equal([3_830_000m, 3_887_500m, 3_250_000m], Watched(watch));

        // Cancelled stays cancelled: no amendment, and cancelling again changes nothing.
        var refused = await Run(1, "shipments", "amend", name, "--grade", "REBCO");
        Assert.Contains("is cancelled and can no longer be updated", refused.Error.ToString());
        // "Already" compares update_time with when the command started, in the service's clock (known to about a second).
        await Task.Delay(TimeSpan.FromSeconds(2));
        var again = await Run(0, "shipments", "cancel", name);
        Assert.Contains("was already cancelled (version 3); nothing changed", again.Out.ToString());
        await ReconcileAgrees("--from", "2020-01", "--to", "2020-04");
    }
}
