using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EnergyTrade.ServiceDefaults;

public static class DatabaseMigration
{
    /// <summary>
    /// Creates the database if it is missing and applies pending migrations, waiting for PostgreSQL
    /// to accept connections (it may still be starting, e.g. under docker compose).
    /// </summary>
    public static async Task MigrateDatabaseAsync<TContext>(this IHost app, TimeSpan? timeout = null) where TContext : DbContext
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EnergyTrade.Migrations");
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                await db.Database.MigrateAsync();
                logger.LogInformation("Database {Database} is at the latest schema",
                    new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Database);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase && DateTime.UtcNow < deadline)
            {
                // Another replica starting at the same moment created the database first; migrating
                // again finds it (EF Core serialises the migrations themselves with a lock).
                logger.LogInformation("Database was created by another instance meanwhile (attempt {Attempt}); migrating it", attempt);
            }
            catch (Exception ex) when (ErrorMappingInterceptor.IsTransient(ex) && DateTime.UtcNow < deadline)
            {
                logger.LogWarning("PostgreSQL is not reachable yet (attempt {Attempt}: {Error}); retrying. Check ConnectionStrings if this persists.", attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)));
            }
        }
    }
}
