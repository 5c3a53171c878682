using Npgsql;
using EnergyTrade.Testing;

namespace EnergyTrade.IntegrationTests.Shipments;

[Trait("Category", "Integration")]
public sealed class MigrationLockTests
{
    /// <summary>
    /// EF Core locks the history table per migration, so replicas starting together could each apply
    /// some of a fresh database's migrations; the advisory lock around the whole run leaves it to one.
    /// The test holds the lock itself until every replica is waiting for it, so they surely overlap.
    /// </summary>
    [Fact]
    public async Task Replicas_starting_together_on_a_fresh_database_leave_its_migration_to_one_of_them()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("miglock");
        await sut.ShipmentsDb.CreateAsync();
        await using var holder = new NpgsqlConnection(sut.ShipmentsDb.ConnectionString + ";Pooling=false");
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('energytrade:migrations'))", holder)) await take.ExecuteNonQueryAsync();
        var verbose = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore.Migrations"] = "Information",
            ["Logging__LogLevel__EnergyTrade.Migrations"] = "Information",
        };

        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => sut.StartShipmentsAsync(environment: verbose, waitReady: false)));
        await Eventually.MatchAsync(() => Task.FromResult(replicas.Count(r => r.Process.RecentLog(2000).Contains("Another instance is migrating", StringComparison.Ordinal))),
            waiting => waiting == 3, TimeSpan.FromSeconds(60), "all three replicas waiting for the migration lock");
        await holder.CloseAsync();
        foreach (var (process, _) in replicas) await process.WaitReadyAsync();

        var logs = replicas.Select(r => r.Process.RecentLog(2000)).ToList();
        Assert.Equal(1, logs.Count(l => l.Contains("Applying migration", StringComparison.Ordinal)));
        Assert.DoesNotContain(logs, l => l.Contains("applied a migration meanwhile", StringComparison.Ordinal));
        Assert.All(logs, l => Assert.Contains("is at the latest schema", l, StringComparison.Ordinal));
        Assert.True(await sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\"") > 1);
    }
}
