using Npgsql;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one case's own (infra_start_postgres). Stop is <c>pg_ctl stop -m fast</c>:
/// open sessions are terminated and the port closes, as in a database restart or failover.
/// </summary>
public sealed class PostgresNode
{
    private PostgresNode(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }
    public int Port { get; }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = InfraScript.User,
        Password = InfraScript.Password,
        Database = database,
        // A stopped server must fail fast, not hang the case.
        Timeout = 5,
        CommandTimeout = 30,
    }.ConnectionString;

    public static async Task<PostgresNode> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var node = new PostgresNode(directory, InfraScript.FreePort());
        await node.StartAsync(cancellationToken);
        return node;
    }

    public Task StartAsync(CancellationToken cancellationToken) =>
        InfraScript.RunAsync("infra_start_postgres", [Directory, Port.ToString()], TimeSpan.FromSeconds(90), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) =>
        InfraScript.RunAsync("infra_stop_postgres", [Directory], TimeSpan.FromSeconds(90), cancellationToken);

    public async Task<T?> ScalarAsync<T>(string database, string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<string>> ColumnAsync(string database, string sql, CancellationToken cancellationToken = default)
    {
        var values = new List<string>();
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) values.Add(reader.GetString(0));
        return values;
    }
}
