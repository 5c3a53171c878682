using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EnergyTrade.Persistence;

public static class DatabaseMigration
{
    /// <summary>
    /// Creates the database if it is missing and applies pending migrations, waiting for PostgreSQL
    /// to accept connections (it may still be starting, e.g. under docker compose).
    /// </summary>
    /// <summary>
    /// Two replicas starting on a fresh database can both read the migration history before either
    /// holds EF's lock, and the second then creates what the first already did, or drops what the first
    /// already dropped (a later migration replacing a key: "constraint … does not exist"). Each migration
    /// runs in its own transaction, so the loser changed nothing, and reading the history again skips what
    /// was applied. A migration that is broken fails the same way every time, until the deadline.
    /// </summary>
    private static bool IsRacedMigration(Exception ex) =>
        ex is PostgresException
        {
            SqlState: PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation
                or PostgresErrorCodes.UndefinedObject or PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn,
        };

    public static async Task MigrateDatabaseAsync<TContext>(this IHost app, TimeSpan? timeout = null) where TContext : DbContext
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EnergyTrade.Migrations");
        var time = app.Services.GetService<TimeProvider>() ?? TimeProvider.System;
        var retry = BackgroundRetry.Create(TimeSpan.FromSeconds(5), time, (ex, attempt, delay) =>
        {
            if (ex is PostgresException { SqlState: PostgresErrorCodes.DuplicateDatabase })
            {
                // Another replica starting at the same moment created the database first; migrating
                // again finds it (EF Core serialises the migrations themselves with a lock).
                logger.LogInformation("Database was created by another instance meanwhile (attempt {Attempt}); migrating it", attempt);
            }
            else if (IsRacedMigration(ex))
            {
                logger.LogInformation("Another instance applied a migration meanwhile (attempt {Attempt}: {Error}); migrating again from where it left the schema", attempt, ex.Message);
            }
            else
            {
                logger.LogWarning("PostgreSQL is not reachable yet (attempt {Attempt}: {Error}); retrying in {Delay}. Check ConnectionStrings if this persists.", attempt, ex.Message, delay);
            }
        }, ex => ex is PostgresException { SqlState: PostgresErrorCodes.DuplicateDatabase } || IsRacedMigration(ex) || TransientFailures.IsTransient(ex));
        var wait = timeout ?? TimeSpan.FromSeconds(120);
        using var deadline = new CancellationTokenSource(wait, time);
        try
        {
            await retry.ExecuteAsync(async cancellationToken =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                await db.Database.MigrateAsync(cancellationToken);
                logger.LogInformation("Database {Database} is at the latest schema",
                    new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Database);
            }, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new InvalidOperationException($"PostgreSQL did not become reachable within {wait.TotalSeconds:0} s, so the database could not be migrated. Check ConnectionStrings and that PostgreSQL runs.");
        }
    }
}
