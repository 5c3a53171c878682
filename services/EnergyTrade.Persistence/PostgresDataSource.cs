using Npgsql;

namespace EnergyTrade.Persistence;

public static class PostgresDataSource
{
    /// <summary>
    /// The services' one NpgsqlDataSource. Unless the connection string says otherwise, statements
    /// run repeatedly are prepared automatically: the hot statements (creates, applies, totals reads)
    /// are the same few texts thousands of times a second, and re-parsing and re-planning each one is
    /// a large share of PostgreSQL's CPU on a 2-core machine (docs/benchmarks.md).
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare")) builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        if (!given.ContainsKey("Auto Prepare Min Usages")) builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        // Which statement of a batch failed decides what a failure means (a full NOTIFY queue is
        // transient, a refused upsert is not); Npgsql says so only when asked.
        builder.ConnectionStringBuilder.IncludeFailedBatchedCommand = true;
        return builder.Build();
    }
}
