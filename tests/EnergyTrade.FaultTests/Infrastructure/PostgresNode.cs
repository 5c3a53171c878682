using Npgsql;

namespace EnergyTrade.FaultTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one case's own (infra_start_postgres). Stop is <c>pg_ctl stop -m fast</c>:
/// open sessions are terminated and the port closes, as in a database restart or failover. Or, for a
/// replicated database, a pg_auto_failover formation (infra_start_pg_formation): a monitor, a primary
/// and a synchronous standby, reached with a multi-host connection string that finds the primary.
/// </summary>
public sealed class PostgresNode
{
    private readonly int[] _dataPorts;

    private PostgresNode(string directory, int port, int[]? dataPorts = null)
    {
        Directory = directory;
        Port = port;
        _dataPorts = dataPorts ?? [];
    }

    public string Directory { get; }
    /// <summary>The server's port; for a formation, its monitor's.</summary>
    public int Port { get; }
    public bool IsFormation => _dataPorts.Length > 0;

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        // A formation's data nodes and nothing more, as scripts/up.sh --ha gives them: the services
        // themselves make a multi-host string go to the primary (PostgresDataSource).
        Host = IsFormation ? string.Join(',', _dataPorts.Select(p => $"127.0.0.1:{p}")) : "127.0.0.1",
        Port = Port,
        Username = InfraScript.User,
        Password = InfraScript.Password,
        Database = database,
        // A stopped server must fail fast, not hang the case.
        Timeout = 5,
        CommandTimeout = 30,
    }.ConnectionString;

    /// <summary>The case's own queries read the primary: a standby may lag it by a moment.</summary>
    private string ObserverConnectionString(string database) =>
        ConnectionString(database) + ";Pooling=false" + (IsFormation ? ";Target Session Attributes=read-write" : "");

    public static async Task<PostgresNode> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var node = new PostgresNode(directory, InfraScript.FreePort());
        await node.StartAsync(cancellationToken);
        return node;
    }

    /// <summary>Starts a formation of two data nodes; node 1 is the first primary.</summary>
    public static async Task<PostgresNode> StartFormationAsync(string directory, CancellationToken cancellationToken)
    {
        var node = new PostgresNode(directory, InfraScript.FreePort(), [InfraScript.FreePort(), InfraScript.FreePort()]);
        await node.StartAsync(cancellationToken);
        return node;
    }

    public Task StartAsync(CancellationToken cancellationToken) => IsFormation
        ? InfraScript.RunAsync("infra_start_pg_formation", [Directory, Port.ToString(), .. _dataPorts.Select(p => p.ToString())], TimeSpan.FromSeconds(240), cancellationToken)
        : InfraScript.RunAsync("infra_start_postgres", [Directory, Port.ToString()], TimeSpan.FromSeconds(90), cancellationToken);

    /// <summary>The data node (1 or 2) the monitor names primary.</summary>
    public async Task<int> PrimaryAsync(CancellationToken cancellationToken) =>
        int.Parse((await InfraScript.RunAsync("infra_pg_formation_primary", [Directory], TimeSpan.FromSeconds(30), cancellationToken)).Trim(),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>SIGKILL to data node <paramref name="node"/>'s whole process tree (keeper, postgres, backends): a machine lost.</summary>
    public Task KillNodeAsync(int node, CancellationToken cancellationToken) =>
        InfraScript.RunAsync("infra_pg_node_kill", [Directory, node.ToString()], TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>Restarts data node <paramref name="node"/> in place; returns once it is a secondary again.</summary>
    public Task StartNodeAsync(int node, CancellationToken cancellationToken) =>
        InfraScript.RunAsync("infra_pg_node_start", [Directory, node.ToString()], TimeSpan.FromSeconds(180), cancellationToken);

    /// <summary>A planned restart of data node 1 or 2, or of the monitor: a primary is switched over first, a standby goes through maintenance.</summary>
    public Task RestartNodeAsync(string node, CancellationToken cancellationToken) =>
        InfraScript.RunAsync("infra_pg_node_restart", [Directory, node], TimeSpan.FromSeconds(240), cancellationToken);

    /// <summary>The port of data node <paramref name="node"/>, for reading it directly (a standby is read-only).</summary>
    public int DataPort(int node) => _dataPorts[node - 1];

    public Task StopAsync(CancellationToken cancellationToken) =>
        InfraScript.RunAsync("infra_stop_postgres", [Directory], TimeSpan.FromSeconds(90), cancellationToken);

    public async Task<T?> ScalarAsync<T>(string database, string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ObserverConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<string>> ColumnAsync(string database, string sql, CancellationToken cancellationToken = default)
    {
        var values = new List<string>();
        await using var connection = new NpgsqlConnection(ObserverConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) values.Add(reader.GetString(0));
        return values;
    }
}
