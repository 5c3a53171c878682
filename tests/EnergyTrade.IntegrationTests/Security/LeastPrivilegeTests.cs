using System.Diagnostics;
using System.Globalization;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Npgsql;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Security;

/// <summary>
/// deploy/postgres/roles.sql, which docker-compose.yml's postgres-roles job runs as the superuser before
/// the services start, applied to the test server with role and database names of the test's own:
/// Shipments and Trade migrate and run as their roles, which can do nothing else (no superuser, no
/// CREATE DATABASE or CREATE ROLE, no connection to the other's database); and a database the
/// superuser created and migrated, as an earlier release left a compose volume, is given to the roles
/// object by object, after which the services run on it as they did.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LeastPrivilegeTests
{
    [Fact]
    public async Task On_a_new_server_the_services_migrate_and_run_as_their_own_roles_which_can_do_nothing_else()
    {
        await using var roles = await Roles.CreateAsync();
        await roles.ApplyAsync();
        // Run again (every compose start does): the same roles and databases, nothing to give away.
        Assert.DoesNotContain("gave", await roles.ApplyAsync(), StringComparison.Ordinal);
        await using var sut = await ServiceUnderTest.CreateAsync("leastpriv");

        var (_, shipments) = await sut.StartShipmentsAsync(environment: roles.ShipmentsEnvironment);
        var (_, trade) = await sut.StartTradeAsync(environment: roles.TradeEnvironment);

        await CreateAndCountAsync(shipments, trade, expectedCount: 1);
        await roles.AssertEverythingInTheDatabasesIsTheRolesAsync();
        await roles.AssertTheRolesCanDoNothingElseAsync();
    }

    [Fact]
    public async Task A_database_the_superuser_created_and_migrated_is_given_to_the_roles_and_the_services_run_on_it_as_before()
    {
        await using var roles = await Roles.CreateAsync();
        await using var sut = await ServiceUnderTest.CreateAsync("leastprivold");

        // As an earlier release left a compose volume: the services connected as the superuser, which
        // created both databases at start-up and migrated them, and counted a shipment.
        var (oldShipmentsProcess, oldShipments) = await sut.StartShipmentsAsync(environment: roles.SuperuserEnvironment("Shipments", roles.ShipmentsDb));
        var (oldTradeProcess, oldTrade) = await sut.StartTradeAsync(environment: roles.SuperuserEnvironment("Trade", roles.TradeDb));
        await CreateAndCountAsync(oldShipments, oldTrade, expectedCount: 1);
        await oldShipmentsProcess.StopAsync();
        await oldTradeProcess.StopAsync();
        Assert.True(await roles.TablesOwnedBySuperuserAsync(roles.ShipmentsDb) > 0, "before roles.sql, the superuser owns Shipments' tables (the starting point of this test)");
        Assert.True(await roles.TablesOwnedBySuperuserAsync(roles.TradeDb) > 0, "before roles.sql, the superuser owns Trade's tables (the starting point of this test)");

        var output = await roles.ApplyAsync();
        Assert.Contains($"of database {roles.ShipmentsDb} to {roles.ShipmentsRole}", output, StringComparison.Ordinal);
        Assert.Contains($"of database {roles.TradeDb} to {roles.TradeRole}", output, StringComparison.Ordinal);
        await roles.AssertEverythingInTheDatabasesIsTheRolesAsync();
        // Run again (every compose start does): nothing left to give.
        Assert.DoesNotContain("gave", await roles.ApplyAsync(), StringComparison.Ordinal);

        var (_, shipments) = await sut.StartShipmentsAsync(environment: roles.ShipmentsEnvironment);
        var (_, trade) = await sut.StartTradeAsync(environment: roles.TradeEnvironment);
        // What was counted before is still there, and a new shipment is recorded and applied (Trade's apply
        // writes its tables and notifies its watchers, pg_notify, as the role).
        await CreateAndCountAsync(shipments, trade, expectedCount: 2);
        await roles.AssertEverythingInTheDatabasesIsTheRolesAsync();
        await roles.AssertTheRolesCanDoNothingElseAsync();
    }

    /// <summary>Records one cargo AZ→BY and waits until Trade's totals count <paramref name="expectedCount"/> shipments.</summary>
    private static async Task CreateAndCountAsync(ShipmentService.ShipmentServiceClient shipments, TradeService.TradeServiceClient trade, int expectedCount)
    {
        await shipments.CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 90_000m, Quantity.Types.Unit.MetricTonnes, 7.5m, 2020, 3, 4, "Ceyhan"),
            RequestId = Guid.NewGuid().ToString(),
        }, Deadline());
        var totals = await Eventually.MatchAsync(() => trade.GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY" }, Deadline()).ResponseAsync,
            t => t.Exports.ShipmentCount == expectedCount, TimeSpan.FromSeconds(30), $"{expectedCount} shipment(s) in Trade's totals");
        Assert.Equal(675_000m * expectedCount, decimal.Parse(totals.Exports.Barrels.Value, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Role and database names of one test's own (roles.sql's psql variables; compose uses the defaults),
    /// passwords made up here, and the clean-up: the databases and roles are dropped afterwards.
    /// </summary>
    private sealed class Roles : IAsyncDisposable
    {
        private readonly string _admin;

        private Roles(string admin, string id)
        {
            _admin = admin;
            ShipmentsRole = $"et_lp_{id}_shipments";
            TradeRole = $"et_lp_{id}_trade";
            MonitorRole = $"et_lp_{id}_monitor";
            ShipmentsDb = $"et_lp_{id}_s";
            TradeDb = $"et_lp_{id}_t";
        }

        public string ShipmentsRole { get; }
        public string TradeRole { get; }
        public string MonitorRole { get; }
        public string ShipmentsDb { get; }
        public string TradeDb { get; }
        private string ShipmentsPassword { get; } = Guid.NewGuid().ToString("N");
        private string TradePassword { get; } = Guid.NewGuid().ToString("N");
        private string MonitorPassword { get; } = Guid.NewGuid().ToString("N");

        public static async Task<Roles> CreateAsync()
        {
            var infra = await TestInfrastructure.GetAsync();
            return new Roles(infra.PostgresAdmin, Guid.NewGuid().ToString("N")[..10]);
        }

        public IReadOnlyDictionary<string, string> ShipmentsEnvironment =>
            new Dictionary<string, string> { ["ConnectionStrings__Shipments"] = ConnectionString(ShipmentsRole, ShipmentsPassword, ShipmentsDb, pooling: true) };

        public IReadOnlyDictionary<string, string> TradeEnvironment =>
            new Dictionary<string, string> { ["ConnectionStrings__Trade"] = ConnectionString(TradeRole, TradePassword, TradeDb, pooling: true) };

        /// <summary>A service connecting as the test server's superuser, as compose's services did before.</summary>
        public IReadOnlyDictionary<string, string> SuperuserEnvironment(string service, string database) =>
            new Dictionary<string, string> { [$"ConnectionStrings__{service}"] = new NpgsqlConnectionStringBuilder(_admin) { Database = database, Pooling = true }.ConnectionString };

        private string ConnectionString(string role, string password, string database, bool pooling = false) =>
            new NpgsqlConnectionStringBuilder(_admin) { Username = role, Password = password, Database = database, Pooling = pooling }.ConnectionString;

        private string AdminConnectionString(string database) =>
            new NpgsqlConnectionStringBuilder(_admin) { Database = database, Pooling = false }.ConnectionString;

        /// <summary>
        /// Runs deploy/postgres/roles.sql with psql as the test server's superuser, as the postgres-roles job
        /// does: names as psql variables, passwords from the environment (the script's \getenv, as in compose).
        /// Returns what psql wrote; fails with it when psql fails.
        /// </summary>
        public async Task<string> ApplyAsync()
        {
            var admin = new NpgsqlConnectionStringBuilder(_admin);
            var script = Path.Combine(ServiceProcess.RepositoryRoot(), "deploy", "postgres", "roles.sql");
            var psql = Psql();
            var start = new ProcessStartInfo(psql,
            [
                "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-v", $"shipments_role={ShipmentsRole}", "-v", $"trade_role={TradeRole}", "-v", $"monitor_role={MonitorRole}",
                "-v", $"shipments_db={ShipmentsDb}", "-v", $"trade_db={TradeDb}",
                "-f", script,
            ])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["PGHOST"] = admin.Host ?? "127.0.0.1";
            start.Environment["PGPORT"] = admin.Port.ToString(CultureInfo.InvariantCulture);
            start.Environment["PGUSER"] = admin.Username ?? "";
            start.Environment["PGPASSWORD"] = admin.Password ?? "";
            start.Environment["PGDATABASE"] = "postgres";
            start.Environment["PGCONNECT_TIMEOUT"] = "10";
            start.Environment["SHIPMENTS_DB_PASSWORD"] = ShipmentsPassword;
            start.Environment["TRADE_DB_PASSWORD"] = TradePassword;
            start.Environment["MONITOR_DB_PASSWORD"] = MonitorPassword;
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {psql}.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{psql} -f {script} did not finish within 60 s (a lock held by a running service?):\n{await stdout}{await stderr}");
            }
            var output = await stdout + await stderr;
            Assert.True(process.ExitCode == 0, $"{psql} -f {script} (as {admin.Username}) exited with {process.ExitCode}:\n{output}");
            return output;
        }

        /// <summary>The newest PostgreSQL client: INFRA_PG_BIN (scripts/lib/infra.sh), Debian's /usr/lib/postgresql/N/bin, or PATH.</summary>
        private static string Psql()
        {
            if (Environment.GetEnvironmentVariable("INFRA_PG_BIN") is { Length: > 0 } bin && File.Exists(Path.Combine(bin, "psql"))) return Path.Combine(bin, "psql");
            var debian = Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Path: Path.Combine(d, "bin", "psql")))
                    .Where(c => File.Exists(c.Path))
                    .OrderByDescending(c => c.Version)
                    .Select(c => c.Path)
                    .FirstOrDefault()
                : null;
            if (debian is not null) return debian;
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (File.Exists(Path.Combine(dir, "psql"))) return Path.Combine(dir, "psql");
            }
            throw new InvalidOperationException(
                "This test runs deploy/postgres/roles.sql with psql (15 or later), as compose's postgres-roles job does, and found none: " +
                "install Debian's postgresql-client-15 (scripts/test.sh installs postgresql-15, which brings it), or set INFRA_PG_BIN to a directory holding psql.");
        }

        public async Task<long> TablesOwnedBySuperuserAsync(string database)
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString(database));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)",
                connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        /// <summary>Each database is its role's, and so is every table, sequence, view, routine and type in it, EF Core's history included.</summary>
        public async Task AssertEverythingInTheDatabasesIsTheRolesAsync()
        {
            foreach (var (database, role) in new[] { (ShipmentsDb, ShipmentsRole), (TradeDb, TradeRole) })
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString(database));
                await connection.OpenAsync();
                var owner = await ScalarAsync<string>(connection, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = current_database()");
                Assert.True(owner == role, $"database {database} is owned by {owner}, not by {role}");
                var history = await ScalarAsync<string>(connection, "SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = to_regclass('public.\"__EFMigrationsHistory\"')");
                Assert.True(history == role, $"{database}'s __EFMigrationsHistory is owned by {history ?? "(no such table)"}, not by {role}");
                var others = new List<string>();
                await using (var command = new NpgsqlCommand(
                    """
                    WITH target AS (SELECT datdba AS oid FROM pg_database WHERE datname = current_database()),
                    user_schema AS (SELECT oid, nspname FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%')
                    SELECT format('%s %s owned by %s', CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'i' THEN 'index' ELSE 'relation' END, c.oid::regclass, pg_get_userbyid(c.relowner))
                    FROM pg_class c JOIN user_schema n ON n.oid = c.relnamespace WHERE c.relowner <> (SELECT oid FROM target)
                    UNION ALL
                    SELECT format('routine %s owned by %s', p.oid::regprocedure, pg_get_userbyid(p.proowner))
                    FROM pg_proc p JOIN user_schema n ON n.oid = p.pronamespace WHERE p.proowner <> (SELECT oid FROM target)
                    UNION ALL
                    SELECT format('type %s owned by %s', t.oid::regtype, pg_get_userbyid(t.typowner))
                    FROM pg_type t JOIN user_schema n ON n.oid = t.typnamespace WHERE t.typowner <> (SELECT oid FROM target)
                    UNION ALL
                    SELECT format('schema %s owned by %s', s.nspname, pg_get_userbyid(s.nspowner))
                    FROM pg_namespace s JOIN user_schema n ON n.oid = s.oid
                    WHERE s.nspowner NOT IN ((SELECT oid FROM target), 'pg_database_owner'::regrole)
                    """, connection))
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync()) others.Add(reader.GetString(0));
                }
                Assert.True(others.Count == 0, $"in {database}, objects not owned by {role}:\n  " + string.Join("\n  ", others.Take(30)));
            }
        }

        /// <summary>
        /// Not superusers, and no CREATE DATABASE, CREATE ROLE or replication; neither service's role may
        /// connect to the other's database; the monitoring role may read statistics (pg_monitor) and
        /// connect to neither.
        /// </summary>
        public async Task AssertTheRolesCanDoNothingElseAsync()
        {
            var services = new[]
            {
                (Role: ShipmentsRole, Password: ShipmentsPassword, Own: ShipmentsDb, Other: TradeDb),
                (Role: TradeRole, Password: TradePassword, Own: TradeDb, Other: ShipmentsDb),
            };
            foreach (var (role, password, own, other) in services)
            {
                await using var connection = new NpgsqlConnection(ConnectionString(role, password, own));
                await connection.OpenAsync();
                var attributes = await ScalarAsync<string>(connection,
                    "SELECT concat_ws(',', CASE WHEN rolsuper THEN 'SUPERUSER' END, CASE WHEN rolcreatedb THEN 'CREATEDB' END, CASE WHEN rolcreaterole THEN 'CREATEROLE' END, CASE WHEN rolreplication THEN 'REPLICATION' END, CASE WHEN rolbypassrls THEN 'BYPASSRLS' END) FROM pg_roles WHERE rolname = current_user");
                Assert.True(string.IsNullOrEmpty(attributes), $"{role} has {attributes}");
                var memberOf = await ScalarAsync<string>(connection,
                    "SELECT string_agg(roleid::regrole::text, ',') FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = current_user)");
                Assert.True(string.IsNullOrEmpty(memberOf), $"{role} is a member of {memberOf}");

                await AssertRefusedAsync(connection, $"CREATE DATABASE \"{own}_more\"", $"{role} creating a database");
                await AssertRefusedAsync(connection, $"CREATE ROLE \"{role}_more\"", $"{role} creating a role");
                await AssertCannotConnectAsync(ConnectionString(role, password, other), $"{role} connecting to {other}, the other service's database");
            }

            await using (var monitor = new NpgsqlConnection(ConnectionString(MonitorRole, MonitorPassword, "postgres")))
            {
                await monitor.OpenAsync();
                var attributes = await ScalarAsync<string>(monitor,
                    "SELECT concat_ws(',', CASE WHEN rolsuper THEN 'SUPERUSER' END, CASE WHEN rolcreatedb THEN 'CREATEDB' END, CASE WHEN rolcreaterole THEN 'CREATEROLE' END, CASE WHEN rolreplication THEN 'REPLICATION' END) FROM pg_roles WHERE rolname = current_user");
                Assert.True(string.IsNullOrEmpty(attributes), $"{MonitorRole} has {attributes}");
                var memberOf = await ScalarAsync<string>(monitor,
                    "SELECT string_agg(roleid::regrole::text, ',') FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = current_user)");
                Assert.True(memberOf == "pg_monitor", $"{MonitorRole} is a member of '{memberOf}', not of pg_monitor alone");
                // What postgres_exporter reads from the postgres database: sizes and activity of every database.
                var size = await ScalarAsync<long>(monitor, $"SELECT pg_database_size('{ShipmentsDb}')");
                Assert.True(size > 0, $"{MonitorRole} reads the size of {ShipmentsDb}");
            }
            await AssertCannotConnectAsync(ConnectionString(MonitorRole, MonitorPassword, ShipmentsDb), $"{MonitorRole} connecting to {ShipmentsDb}");
            await AssertCannotConnectAsync(ConnectionString(MonitorRole, MonitorPassword, TradeDb), $"{MonitorRole} connecting to {TradeDb}");
        }

        private static async Task AssertRefusedAsync(NpgsqlConnection connection, string sql, string what)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var error = await Record.ExceptionAsync(() => command.ExecuteNonQueryAsync());
            Assert.True(error is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege },
                $"{what} ({sql}) should be refused with 42501 insufficient_privilege, but {(error is null ? "it succeeded" : $"failed with {error.GetType().Name}: {error.Message}")}");
        }

        private static async Task AssertCannotConnectAsync(string connectionString, string what)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            var error = await Record.ExceptionAsync(() => connection.OpenAsync());
            Assert.True(error is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege },
                $"{what} should be refused with 42501 (no CONNECT privilege), but {(error is null ? "it connected" : $"failed with {error.GetType().Name}: {error.Message}")}");
        }

        private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var value = await command.ExecuteScalarAsync();
            return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// Drops what roles.sql made. A failure here is written to the console rather than thrown: thrown
        /// from a dispose, it would hide the test's own failure (the test server is thrown away anyway).
        /// </summary>
        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString("postgres"));
                await connection.OpenAsync();
                foreach (var sql in new[]
                {
                    $"DROP DATABASE IF EXISTS \"{ShipmentsDb}\" WITH (FORCE)",
                    $"DROP DATABASE IF EXISTS \"{TradeDb}\" WITH (FORCE)",
                    $"DROP ROLE IF EXISTS \"{ShipmentsRole}\"",
                    $"DROP ROLE IF EXISTS \"{TradeRole}\"",
                    $"DROP ROLE IF EXISTS \"{MonitorRole}\"",
                })
                {
                    await using var command = new NpgsqlCommand(sql, connection);
                    await command.ExecuteNonQueryAsync();
                }
            }
            catch (NpgsqlException ex)
            {
                Console.Error.WriteLine($"LeastPrivilegeTests: could not drop {ShipmentsDb}, {TradeDb} or the roles {ShipmentsRole}, {TradeRole}, {MonitorRole}: {ex.Message}");
            }
        }
    }
}
