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
        if (given.Host?.Contains(',', StringComparison.Ordinal) == true)
        {
            // Several hosts are a replicated cluster (Host=pg-1:5432,pg-2:5432): every statement here
            // writes or must read its own writes, so only the primary will do; a standby would refuse
            // the writes. Npgsql remembers which host is the primary for Host Recheck Seconds (10 by
            // default): after a failover, one second is how long clients keep trying the old one.
            if (!Sets(connectionString, "Target Session Attributes", "TargetSessionAttributes")) builder.ConnectionStringBuilder.TargetSessionAttributes = "read-write";
            if (!Sets(connectionString, "Host Recheck Seconds", "HostRecheckSeconds")) builder.ConnectionStringBuilder.HostRecheckSeconds = 1;
        }
        return builder.Build();
    }

    /// <summary>
    /// Whether the connection string itself sets a keyword: NpgsqlConnectionStringBuilder.ContainsKey
    /// answers whether Npgsql knows the keyword, set or not.
    /// </summary>
    private static bool Sets(string connectionString, params string[] keywords)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return keywords.Any(given.ContainsKey);
    }
}
