using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace EnergyTrade.UnitTests;

/// <summary>
/// docker-compose.yml, and docker-compose.yml with docker-compose.ha.yml over it, as compose would run
/// them: every long-running service restarts, the one-shot jobs do not; Shipments and Trade connect to
/// PostgreSQL as their own roles (deploy/postgres/roles.sql), made by the postgres-roles job before
/// they start, never as the bootstrap superuser; RabbitMQ is a 4.x release line; and every secret the
/// files require is one scripts/compose-secrets.sh writes. CI has no Docker daemon, so compose itself
/// never reads these files there: this reads them as YAML, with compose's merge keys and overrides.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class ComposeFilesTests
{
    private const string BaseCompose = "docker-compose.yml";
    private const string HaCompose = "docker-compose.ha.yml";
    private const string RolesScript = "deploy/postgres/roles.sql";
    private const string SecretsScript = "scripts/compose-secrets.sh";

    /// <summary>The connection string each service reads, and the roles.sql variable naming its role.</summary>
    private static readonly (string Variable, string RoleVariable, string PasswordVariable)[] DatabaseConnections =
    [
        ("ConnectionStrings__Shipments", "shipments_role", "SHIPMENTS_DB_PASSWORD"),
        ("ConnectionStrings__Trade", "trade_role", "TRADE_DB_PASSWORD"),
    ];

    [Theory]
    [InlineData(BaseCompose)]
    [InlineData(HaCompose)]
    public void The_compose_file_is_one_yaml_document_with_services(string file)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(Repository.PathOf(file)))
        {
            stream.Load(reader);
        }
        var document = Assert.Single(stream.Documents);
        var services = Assert.IsType<YamlMappingNode>(Child(document.RootNode, "services"));
        Assert.NotEmpty(services.Children);
    }

    [Theory]
    [InlineData(BaseCompose)]
    [InlineData(BaseCompose + " " + HaCompose)]
    public void Every_long_running_service_restarts_unless_stopped_and_the_one_shot_jobs_run_once(string files)
    {
        var stack = Stack(files);
        var oneShots = OneShots(stack);
        Assert.Contains("postgres-roles", oneShots);
        Assert.Contains("rabbitmq-users", oneShots);

        var problems = new List<string>();
        foreach (var service in stack.Values)
        {
            var restart = service.Text("restart");
            if (oneShots.Contains(service.Name))
            {
                // "always" or "unless-stopped" would start a finished job again and again.
                if (restart is not (null or "no")) problems.Add($"{service.Name} is a one-shot job (a service_completed_successfully dependency) but has restart: {restart}");
            }
            else if (restart is not ("always" or "unless-stopped") && restart?.StartsWith("on-failure", StringComparison.Ordinal) != true)
            {
                problems.Add($"{service.Name} runs until stopped but has {(restart is null ? "no restart policy" : $"restart: {restart}")}; give it restart: unless-stopped");
            }
        }
        Assert.True(problems.Count == 0, $"{files}:\n" + string.Join("\n", problems));
    }

    [Theory]
    [InlineData(BaseCompose)]
    [InlineData(BaseCompose + " " + HaCompose)]
    public void Shipments_and_Trade_connect_to_PostgreSQL_as_their_own_roles_never_as_the_bootstrap_superuser(string files)
    {
        var stack = Stack(files);
        var roles = RoleNames();
        var problems = new List<string>();
        var checkedStrings = new List<string>();
        foreach (var service in stack.Values)
        {
            foreach (var (variable, roleVariable, password) in DatabaseConnections)
            {
                if (!service.Environment.TryGetValue(variable, out var connectionString)) continue;
                checkedStrings.Add($"{service.Name} {variable}");
                var at = $"{service.Name}: {variable}";
                if (connectionString.Contains("POSTGRES_USER", StringComparison.Ordinal) || connectionString.Contains("POSTGRES_PASSWORD", StringComparison.Ordinal))
                {
                    problems.Add($"{at} uses the bootstrap superuser's POSTGRES_USER/POSTGRES_PASSWORD: {connectionString}");
                }
                var parts = ConnectionStringParts(connectionString);
                var expected = roles[roleVariable];
                if (!parts.TryGetValue("username", out var user) || user != expected) problems.Add($"{at} logs in as '{user}', not as {expected} (roles.sql's {roleVariable})");
                if (!parts.TryGetValue("password", out var pw) || !pw.StartsWith("${" + password, StringComparison.Ordinal)) problems.Add($"{at} takes its password from '{pw}', not from ${{{password}}} (.env)");
            }
        }
        Assert.True(problems.Count == 0, $"{files}:\n" + string.Join("\n", problems));
        // Shipments and Trade, and in the HA topology their second replicas too.
        Assert.Contains("shipments ConnectionStrings__Shipments", checkedStrings);
        Assert.Contains("trade ConnectionStrings__Trade", checkedStrings);
        if (files.Contains(HaCompose, StringComparison.Ordinal))
        {
            Assert.Contains("shipments-2 ConnectionStrings__Shipments", checkedStrings);
            Assert.Contains("trade-2 ConnectionStrings__Trade", checkedStrings);
        }
    }

    [Theory]
    [InlineData(BaseCompose)]
    [InlineData(BaseCompose + " " + HaCompose)]
    public void The_services_that_use_the_database_start_only_after_postgres_roles_has_completed(string files)
    {
        var stack = Stack(files);
        var problems = new List<string>();
        foreach (var service in stack.Values.Where(s => DatabaseConnections.Any(c => s.Environment.ContainsKey(c.Variable))))
        {
            if (!service.DependsOn.TryGetValue("postgres-roles", out var condition) || condition != "service_completed_successfully")
            {
                problems.Add($"{service.Name} connects to PostgreSQL but does not depend on postgres-roles with condition service_completed_successfully (it has {(condition ?? "no such dependency")})");
            }
        }
        Assert.True(problems.Count == 0, $"{files}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Postgres_roles_runs_roles_sql_as_the_superuser_on_the_single_server_with_the_passwords_from_env()
    {
        var stack = Stack(BaseCompose);
        var job = stack["postgres-roles"];

        Assert.Equal(stack["postgres"].Text("image"), job.Text("image"));
        Assert.Equal("service_healthy", job.DependsOn.GetValueOrDefault("postgres"));
        RunsRolesScript(job);
        Assert.Equal("postgres", job.Environment.GetValueOrDefault("PGHOST"));
        Assert.StartsWith("${POSTGRES_USER", job.Environment.GetValueOrDefault("PGUSER"), StringComparison.Ordinal);
        Assert.StartsWith("${POSTGRES_PASSWORD", job.Environment.GetValueOrDefault("PGPASSWORD"), StringComparison.Ordinal);
        foreach (var secret in new[] { "SHIPMENTS_DB_PASSWORD", "TRADE_DB_PASSWORD", "MONITOR_DB_PASSWORD" })
        {
            // roles.sql reads these itself (\getenv); required, so a missing one stops compose with its message.
            Assert.StartsWith("${" + secret + ":?", job.Environment.GetValueOrDefault(secret), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void In_the_HA_topology_postgres_roles_runs_on_the_primary_of_both_data_nodes_and_takes_superuser_from_the_administrator()
    {
        var stack = Stack(BaseCompose, HaCompose);
        var job = stack["postgres-roles"];

        string[] dataNodes = ["pg-node-1", "pg-node-2"];
        // Not the single server, which is not part of this topology: both data nodes, by !override.
        Assert.Equal(dataNodes, job.DependsOn.Keys.Order(StringComparer.Ordinal));
        Assert.All(job.DependsOn.Values, condition => Assert.Equal("service_healthy", condition));
        Assert.Equal(dataNodes, (job.Environment.GetValueOrDefault("PGHOST") ?? "").Split(',').Order(StringComparer.Ordinal));
        Assert.Equal("read-write", job.Environment.GetValueOrDefault("PGTARGETSESSIONATTRS"));
        var arguments = RunsRolesScript(job);
        Assert.Contains("demote_runner=on", arguments);
        // The administrator the nodes create (APP_DB_USER) is the user the job logs in as.
        Assert.Equal(job.Environment.GetValueOrDefault("PGUSER"), stack["pg-node-1"].Environment.GetValueOrDefault("APP_DB_USER"));
        Assert.Equal(job.Environment.GetValueOrDefault("PGPASSWORD"), stack["pg-node-1"].Environment.GetValueOrDefault("APP_DB_PASSWORD"));
    }

    [Fact]
    public void The_HA_entrypoint_makes_the_administrator_without_superuser_and_accepts_the_services_roles_by_password()
    {
        var entrypoint = File.ReadAllText(Repository.PathOf("deploy/ha/pg-auto-failover/entrypoint.sh"));

        var alter = Assert.Single(AlterAppRole().Matches(entrypoint)).Value;
        Assert.Contains("NOSUPERUSER", alter, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<!NO)SUPERUSER", alter);
        Assert.Contains("'host  all  all  samenet  scram-sha-256'", entrypoint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BaseCompose)]
    [InlineData(BaseCompose + " " + HaCompose)]
    public void RabbitMQ_runs_a_4_x_release_line(string files)
    {
        var brokers = Stack(files).Values
            .Select(s => (s.Name, Image: s.Text("image") ?? ""))
            .Where(s => s.Image.StartsWith("rabbitmq:", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(brokers);
        Assert.All(brokers, b => Assert.Matches(@"^rabbitmq:4\.\d+", b.Image));
        if (files.Contains(HaCompose, StringComparison.Ordinal)) Assert.Equal(3, brokers.Count);
    }

    [Theory]
    [InlineData(BaseCompose)]
    [InlineData(HaCompose)]
    public void Every_secret_a_compose_file_requires_is_one_compose_secrets_writes(string file)
    {
        var written = SecretName().Matches(File.ReadAllText(Repository.PathOf(SecretsScript))).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var required = RequiredVariable().Matches(File.ReadAllText(Repository.PathOf(file))).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(required);
        var missing = required.Where(name => !written.Contains(name)).ToList();
        Assert.True(missing.Count == 0,
            $"{file} requires {string.Join(", ", missing.Select(name => "${" + name + ":?…}"))}, which {SecretsScript} does not write (its secrets: {string.Join(", ", written.Order(StringComparer.Ordinal))})");
    }

    [Fact]
    public void The_roles_the_compose_files_log_in_as_are_the_ones_roles_sql_makes_by_default()
    {
        var roles = RoleNames();

        Assert.Equal("energytrade_shipments", roles["shipments_role"]);
        Assert.Equal("energytrade_trade", roles["trade_role"]);
        Assert.Equal("energytrade_monitor", roles["monitor_role"]);
        Assert.Equal("energytrade_shipments", roles["shipments_db"]);
        Assert.Equal("energytrade_trade", roles["trade_db"]);
        // The PostgreSQL exporters (the observability profile) read statistics as the monitoring role.
        var exporters = new[] { Stack(BaseCompose), Stack(BaseCompose, HaCompose) }
            .SelectMany(stack => stack.Values)
            .Where(s => s.Environment.ContainsKey("DATA_SOURCE_USER"))
            .ToList();
        Assert.All(exporters, e => Assert.Equal(roles["monitor_role"], e.Environment["DATA_SOURCE_USER"]));
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>The arguments postgres-roles runs psql with (entrypoint, then command); asserts they run the mounted roles.sql and stop at the first error.</summary>
    private static List<string> RunsRolesScript(Service job)
    {
        var arguments = job.Arguments("entrypoint").Concat(job.Arguments("command")).ToList();
        Assert.True(arguments.Count > 0 && arguments[0] == "psql", $"postgres-roles runs psql: {string.Join(' ', arguments)}");
        Assert.Contains("ON_ERROR_STOP=1", arguments);
        var f = arguments.IndexOf("-f");
        Assert.True(f >= 0 && f + 1 < arguments.Count, $"postgres-roles runs a file with -f: {string.Join(' ', arguments)}");
        var target = arguments[f + 1];
        var mount = job.Volumes.Select(v => v.Split(':')).FirstOrDefault(v => v.Length >= 2 && v[1] == target);
        Assert.True(mount is not null, $"postgres-roles runs {target}, which none of its volumes mounts ({string.Join(", ", job.Volumes)})");
        Assert.Equal("./" + RolesScript, mount![0]);
        Assert.True(File.Exists(Repository.PathOf(RolesScript)), $"{RolesScript} exists");
        return arguments;
    }

    /// <summary>roles.sql's names with their defaults: <c>\if :{?x} \else \set x value \endif</c>.</summary>
    private static Dictionary<string, string> RoleNames() =>
        RoleDefault().Matches(File.ReadAllText(Repository.PathOf(RolesScript)))
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);

    /// <summary>Keys lower-cased, values as written (compose's ${…} left in place).</summary>
    private static Dictionary<string, string> ConnectionStringParts(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim(), StringComparer.Ordinal);

    /// <summary>Services some service waits for with service_completed_successfully: the jobs that run once and exit.</summary>
    private static HashSet<string> OneShots(Dictionary<string, Service> stack) =>
        stack.Values.SelectMany(s => s.DependsOn.Where(d => d.Value == "service_completed_successfully").Select(d => d.Key)).ToHashSet(StringComparer.Ordinal);

    private sealed class Service(string name)
    {
        public string Name { get; } = name;
        /// <summary>Top-level keys, merge keys (&lt;&lt;) resolved; a later file's value replaces an earlier one's.</summary>
        public Dictionary<string, YamlNode> Keys { get; } = new(StringComparer.Ordinal);
        /// <summary>Overridden variable by variable by a later file, as compose does.</summary>
        public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);
        /// <summary>Dependency and its condition; merged with a later file's unless that one is !override.</summary>
        public Dictionary<string, string> DependsOn { get; } = new(StringComparer.Ordinal);
        /// <summary>Short-syntax volumes, from every file.</summary>
        public List<string> Volumes { get; } = [];

        public string? Text(string key) => Keys.TryGetValue(key, out var node) ? (node as YamlScalarNode)?.Value : null;

        public List<string> Arguments(string key) => Keys.GetValueOrDefault(key) switch
        {
            YamlSequenceNode sequence => sequence.Children.Select(c => (c as YamlScalarNode)?.Value ?? "").ToList(),
            YamlScalarNode { Value: { } line } => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
            _ => new List<string>(),
        };
    }

    /// <summary>The services of compose files (separated by spaces), each laid over the ones before.</summary>
    private static Dictionary<string, Service> Stack(string files) => Stack(files.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static Dictionary<string, Service> Stack(params string[] files)
    {
        var services = new Dictionary<string, Service>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var stream = new YamlStream();
            using (var reader = File.OpenText(Repository.PathOf(file)))
            {
                stream.Load(reader);
            }
            if (Child(stream.Documents[0].RootNode, "services") is not YamlMappingNode nodes) continue;
            foreach (var (key, node) in nodes.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                if (!services.TryGetValue(name, out var service)) services[name] = service = new Service(name);
                if (node is not YamlMappingNode definition) continue;
                foreach (var (k, value) in Resolve(definition))
                {
                    switch (k)
                    {
                        case "environment":
                            if (IsOverride(value)) service.Environment.Clear();
                            foreach (var (variable, setting) in Variables(value)) service.Environment[variable] = setting;
                            break;
                        case "depends_on":
                            if (IsOverride(value)) service.DependsOn.Clear();
                            foreach (var (dependency, condition) in Dependencies(value)) service.DependsOn[dependency] = condition;
                            break;
                        case "volumes":
                            if (IsOverride(value)) service.Volumes.Clear();
                            if (value is YamlSequenceNode volumes) service.Volumes.AddRange(volumes.Children.OfType<YamlScalarNode>().Select(v => v.Value ?? ""));
                            break;
                        default:
                            service.Keys[k] = value;
                            break;
                    }
                }
            }
        }
        return services;
    }

    /// <summary>
    /// A mapping's keys with YAML merge keys resolved: its own keys first, then those of the mapping (or
    /// mappings, the earlier first) under &lt;&lt; that it does not set itself.
    /// </summary>
    private static List<(string Key, YamlNode Value)> Resolve(YamlMappingNode map)
    {
        var keys = new List<(string Key, YamlNode Value)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var merged = new List<YamlMappingNode>();
        foreach (var (k, v) in map.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            if (key == "<<")
            {
                if (v is YamlMappingNode one) merged.Add(one);
                else if (v is YamlSequenceNode many) merged.AddRange(many.Children.OfType<YamlMappingNode>());
                continue;
            }
            if (seen.Add(key)) keys.Add((key, v));
        }
        foreach (var source in merged)
        {
            foreach (var (key, value) in Resolve(source))
            {
                if (seen.Add(key)) keys.Add((key, value));
            }
        }
        return keys;
    }

    private static IEnumerable<(string Variable, string Value)> Variables(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in Resolve(map)) yield return (key, (value as YamlScalarNode)?.Value ?? "");
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children.OfType<YamlScalarNode>().Select(i => i.Value ?? ""))
                {
                    var eq = item.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0) yield return (item[..eq], item[(eq + 1)..]);
                }
                break;
        }
    }

    private static IEnumerable<(string Service, string Condition)> Dependencies(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in Resolve(map)) yield return (key, (Child(value, "condition") as YamlScalarNode)?.Value ?? "service_started");
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children.OfType<YamlScalarNode>()) yield return (item.Value ?? "", "service_started");
                break;
        }
    }

    /// <summary>Compose's !override tag: the value replaces the earlier file's instead of being merged with it.</summary>
    private static bool IsOverride(YamlNode node) => node.Tag.ToString() == "!override";

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    [GeneratedRegex(@"^\\if :\{\?(?<name>\w+)\} \\else \\set \k<name> (?<value>\w+) \\endif", RegexOptions.Multiline)]
    private static partial Regex RoleDefault();

    /// <summary>scripts/compose-secrets.sh's list: NAME=bytes, one a line.</summary>
    [GeneratedRegex(@"^\s+(?<name>[A-Z][A-Z0-9_]*)=\d+\s*$", RegexOptions.Multiline)]
    private static partial Regex SecretName();

    /// <summary>${NAME:?message} or ${NAME?message}: compose refuses to start without NAME.</summary>
    [GeneratedRegex(@"(?<!\$)\$\{(?<name>[A-Z][A-Z0-9_]*):?\?")]
    private static partial Regex RequiredVariable();

    [GeneratedRegex(@"ALTER ROLE :""app_user"" WITH [^;]*;")]
    private static partial Regex AlterAppRole();
}
