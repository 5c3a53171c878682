using System.Text.Json;
using EnergyTrade.Cli.Tests.Support;

namespace EnergyTrade.Cli.Tests.EndToEnd;

/// <summary>
/// A shipment's history through the real services: recorded, amended with a reason, cancelled with a
/// reason, and `shipments history` showing each version as Shipments kept it.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class HistoryTests(ServicesFixture services) : IClassFixture<ServicesFixture>
{
    private async Task<CliRun> Run(params string[] args)
    {
        var run = services.Cli();
        var exit = await run.RunAsync(args);
        Assert.True(exit == 0, $"energytrade {string.Join(' ', args)} exited {exit}:\n{run.Out}{run.Json}\n{run.Error}");
        return run;
    }

    [Fact]
    public async Task History_shows_every_version_with_what_changed_who_and_why()
    {
        var created = await Run("shipments", "create", "--exporter", "AZ", "--importer", "BY", "--origin", "AZ", "--grade", "Azeri Light",
            "--quantity", "80000", "--unit", "t", "--barrels-per-tonne", "7.5", "--load-date", "2020-03-27", "--load-port", "Supsa", "--shipper", "SOCAR",
            "--output", "json");
        var name = JsonDocument.Parse(created.Json.ToString()).RootElement.GetProperty("name").GetString()!;
        await Run("shipments", "amend", name, "--quantity", "85000", "--reason", "seller's final figures");
        await Run("shipments", "cancel", name, "--reason", "booked twice");

        var table = (await Run("shipments", "history", name)).Out.ToString();

        Assert.Contains($"{name}: 3 version(s) on record, newest first.", table);
        Assert.Matches(@"│\s+3 │ [-0-9: ]+UTC │ cancelled\s+│ state, cancel_reason\s+│ energytrade-cli\s+│ booked twice\s+│\s+637,500 bbl │ cancelled │", table);
        Assert.Matches(@"│\s+2 │ [-0-9: ]+UTC │ amended\s+│ quantity.value, barrels, tonnes\s+│ energytrade-cli\s+│ seller's final figures\s+│\s+637,500 bbl │ active\s+│", table);
        Assert.Matches(@"│\s+1 │ [-0-9: ]+UTC │ created\s+│ \(all\)\s+│ energytrade-cli\s+│\s+│\s+600,000 bbl │ active\s+│", table);

        var json = JsonDocument.Parse((await Run("shipments", "history", name, "--output", "json")).Json.ToString()).RootElement;
        var revisions = json.GetProperty("revisions").EnumerateArray().ToList();
        Assert.Equal(["REVISION_KIND_CANCELLED", "REVISION_KIND_UPDATED", "REVISION_KIND_CREATED"], revisions.Select(r => r.GetProperty("kind").GetString()));
        Assert.StartsWith("shipper,exporterCountry,", revisions[2].GetProperty("changedFields").GetString());
    }
}
