using System.Globalization;
using Npgsql;

namespace EnergyTrade.Benchmarks;

/// <summary>
/// Samples the age of the oldest transaction a client holds open in one database, every quarter
/// second: phases 8 and 9 check that a replay never holds one for long. Autovacuum's own long
/// transactions are left out: they yield to every lock a client asks for.
/// </summary>
public static class LongestTransaction
{
    public static async Task SampleAsync(string connectionString, string phase, Action<double> observe, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT extract(epoch FROM now() - xact_start)::float8, left(regexp_replace(query, '\s+', ' ', 'g'), 100) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND backend_type = 'client backend'
            ORDER BY xact_start LIMIT 1
            """, connection);
        var longest = 0.0;
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await ticker.WaitForNextTickAsync(cancellationToken))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) continue;
            var seconds = reader.GetDouble(0);
            if (seconds >= 1 && longest < 1)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{phase}] a transaction open over a second: {reader.GetString(1)}"));
            }
            longest = Math.Max(longest, seconds);
            observe(seconds);
        }
    }
}
