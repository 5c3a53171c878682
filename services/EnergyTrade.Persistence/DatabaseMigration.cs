using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EnergyTrade.Persistence;

public static class DatabaseMigration
{
    /// <summary>
    /// Two replicas starting together would otherwise both run EF Core's migrations: EF locks the
    /// history table per migration, not per run, so the second could apply migration N+1 between the
    /// first's N and N+1 and fail on what the first created. One session-level advisory lock per
    /// database makes the whole run one replica's; the others wait, then find nothing to do. The lock
    /// is the session's, so it goes with a replica that dies holding it, or with a primary that fails over.
    /// </summary>
    private const string MigrationLock = "SELECT pg_try_advisory_lock(hashtext('energytrade:migrations'))";

    /// <summary>
    /// A replica that raced one of an older release (which migrated without the lock) may still find
    /// that the other created, or dropped, what it is about to (a later migration replacing a key:
    /// "constraint … does not exist"). Each migration runs in its own transaction, so the loser changed
    /// nothing, and reading the history again skips what was applied.
    /// </summary>
    private static bool IsRacedMigration(Exception ex) =>
        ex is PostgresException
        {
            SqlState: PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation
                or PostgresErrorCodes.UndefinedObject or PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn,
        };

    /// <summary>
    /// Creates the database if it is missing and applies pending migrations, once per deployment
    /// however many replicas start at once, waiting for PostgreSQL to accept connections (it may still
    /// be starting, e.g. under docker compose).
    /// </summary>
    public static async Task MigrateDatabaseAsync<TContext>(this IHost app, TimeSpan? timeout = null) where TContext : DbContext
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EnergyTrade.Migrations");
        var time = app.Services.GetService<TimeProvider>() ?? TimeProvider.System;
        var retry = BackgroundRetry.Create(TimeSpan.FromSeconds(5), time, (ex, attempt, delay) =>
        {
            if (ex is PostgresException { SqlState: PostgresErrorCodes.DuplicateDatabase })
            {
                // Another replica starting at the same moment created the database first; migrating
                // again finds it, and the migration lock makes the rest one instance's.
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
                var database = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Database;
                var creator = db.GetService<IRelationalDatabaseCreator>();
                if (!await creator.ExistsAsync(cancellationToken)) await creator.CreateAsync(cancellationToken);
                await using var gate = await OpenLockConnectionAsync(app.Services, cancellationToken);
                await TakeMigrationLockAsync(gate, logger, database, time, cancellationToken);
                try
                {
                    await db.Database.MigrateAsync(cancellationToken);
                }
                finally
                {
                    await ReleaseMigrationLockAsync(gate);
                }
                logger.LogInformation("Database {Database} is at the latest schema", database);
            }, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new InvalidOperationException($"The database could not be migrated within {wait.TotalSeconds:0} s: PostgreSQL was not reachable, or another instance held the migration lock all along (see the log above). Check ConnectionStrings, that PostgreSQL runs, and the instance that is migrating.");
        }
    }

    /// <summary>From the service's own pool (AddPostgres): the same host selection, the primary of a cluster.</summary>
    private static Task<NpgsqlConnection> OpenLockConnectionAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(cancellationToken).AsTask();

    /// <summary>
    /// A pooled connection goes back to the pool with its session, and the session keeps its advisory
    /// locks: released here whatever happened, or the next attempt, on another pooled connection, would
    /// wait for this one's lock until the deadline. A connection that broke took its session, and the
    /// lock, with it.
    /// </summary>
    private static async Task ReleaseMigrationLockAsync(NpgsqlConnection gate)
    {
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", gate);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
        }
    }

    private static async Task TakeMigrationLockAsync(NpgsqlConnection gate, ILogger logger, string? database, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var take = new NpgsqlCommand(MigrationLock, gate);
        var waited = false;
        // pg_advisory_lock would wait inside the server, deaf to cancellation; trying keeps the deadline.
        while (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
        {
            if (!waited) logger.LogInformation("Another instance is migrating database {Database}; waiting for it to finish", database);
            waited = true;
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }
    }
}
