using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace EnergyTrade.UnitTests;

/// <summary>
/// The compose observability profile's files (docs/observability): the Grafana dashboard, Grafana's
/// provisioning, and what docker-compose*.yml mounts and starts its services with. Compose itself cannot
/// run here (no Docker daemon in CI), so these check what can be checked without it. The dashboard's
/// queries are parsed by promtool: ENERGYTRADE_PROMTOOL, else /usr/bin/promtool (Debian's prometheus
/// package, which scripts/check-observability.sh installs before scripts/test.sh runs the tests).
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class ObservabilityAssetsTests
{
    private const string Dashboard = "docs/observability/grafana/dashboards/energytrade-pipeline.json";
    private const string DashboardProvider = "docs/observability/grafana/provisioning/dashboards/energytrade.yml";
    private const string DataSources = "docs/observability/grafana/provisioning/datasources/datasources.yml";
    private const string DataSourceVariable = "${datasource}";
    private const string BaseCompose = "docker-compose.yml";
    private const string HaCompose = "docker-compose.ha.yml";

    /// <summary>Database-wide figures every Shipments replica reports alike: a sum counts them once per replica.</summary>
    private static readonly string[] OutboxGauges = ["energytrade_outbox_backlog", "energytrade_outbox_oldest_age_seconds"];

    /// <summary>Strings as JSON (a YAML double-quoted scalar too) with PromQL's quotes and operators readable in promtool's messages.</summary>
    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Host directories whose mounted files and directories are the repository's own.</summary>
    private static readonly string[] RepositoryMountRoots = ["./docs", "./deploy", "./scripts"];

    [Fact]
    public void The_pipeline_dashboard_is_json_with_its_uid_and_a_prometheus_datasource_variable()
    {
        var dashboard = LoadDashboard();

        Assert.Equal("energytrade-pipeline", dashboard.GetProperty("uid").GetString());
        Assert.Equal("EnergyTrade pipeline", dashboard.GetProperty("title").GetString());
        Assert.InRange(dashboard.GetProperty("schemaVersion").GetInt32(), 36, 99);
        var variable = Assert.Single(dashboard.GetProperty("templating").GetProperty("list").EnumerateArray(),
            v => v.GetProperty("name").GetString() == "datasource");
        Assert.Equal("datasource", variable.GetProperty("type").GetString());
        Assert.Equal("prometheus", variable.GetProperty("query").GetString());
        Assert.Contains(Panels(dashboard), p => !IsRow(p));
    }

    [Fact]
    public void Every_panel_id_of_the_dashboard_is_unique()
    {
        var duplicates = Panels(LoadDashboard())
            .GroupBy(p => p.GetProperty("id").GetInt64())
            .Where(g => g.Count() > 1)
            .Select(g => $"id {g.Key}: {string.Join(", ", g.Select(Title))}")
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Every_panel_reads_the_datasource_variable_and_has_queries_a_unit_and_rate_windows_of_rate_interval()
    {
        var problems = new List<string>();
        foreach (var panel in Panels(LoadDashboard()).Where(p => !IsRow(p)))
        {
            var at = $"panel {panel.GetProperty("id").GetInt64()} '{Title(panel)}'";
            if (!IsDataSourceVariable(panel, "datasource")) problems.Add($"{at}: datasource is not {{type: prometheus, uid: {DataSourceVariable}}}");
            var unit = panel.TryGetProperty("fieldConfig", out var fc) && fc.TryGetProperty("defaults", out var defaults) && defaults.TryGetProperty("unit", out var u)
                ? u.GetString()
                : null;
            if (string.IsNullOrWhiteSpace(unit)) problems.Add($"{at}: fieldConfig.defaults.unit is not set");

            var targets = Targets(panel);
            if (targets.Count == 0) problems.Add($"{at}: no targets");
            foreach (var target in targets)
            {
                var refId = target.TryGetProperty("refId", out var r) ? r.GetString() : null;
                var expr = target.TryGetProperty("expr", out var e) ? e.GetString() : null;
                if (string.IsNullOrWhiteSpace(refId)) problems.Add($"{at}: a target has no refId");
                if (string.IsNullOrWhiteSpace(expr))
                {
                    problems.Add($"{at}: target {refId} has no expr");
                    continue;
                }
                if (target.TryGetProperty("datasource", out _) && !IsDataSourceVariable(target, "datasource"))
                {
                    problems.Add($"{at}: target {refId} names a datasource other than {DataSourceVariable}");
                }
                foreach (var window in RangeWindows(expr).Where(w => w != "$__rate_interval"))
                {
                    problems.Add($"{at}: target {refId} has the range [{window}], not [$__rate_interval]");
                }
            }
            var duplicateRefIds = targets.Select(t => t.TryGetProperty("refId", out var r) ? r.GetString() : null)
                .GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key);
            foreach (var refId in duplicateRefIds) problems.Add($"{at}: refId {refId} is used twice");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void No_panel_sums_the_outbox_figures_every_shipments_replica_reports_alike()
    {
        var problems = (
            from panel in Panels(LoadDashboard()).Where(p => !IsRow(p))
            from target in Targets(panel)
            let expr = target.GetProperty("expr").GetString() ?? ""
            where SumsAny(expr, OutboxGauges)
            select $"panel '{Title(panel)}' target {target.GetProperty("refId").GetString()}: {expr} (use max)").ToList();

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("sum(energytrade_outbox_backlog)", true)]
    [InlineData("sum by (job) (energytrade_outbox_oldest_age_seconds)", true)]
    [InlineData("sum (max by (instance) (energytrade_outbox_backlog)) by (job)", true)]
    [InlineData("max(energytrade_outbox_backlog)", false)]
    [InlineData("sum(up) + max(energytrade_outbox_oldest_age_seconds)", false)]
    [InlineData("sum(rate(energytrade_outbox_published_total[1m]))", false)]
    [InlineData("sum_over_time(energytrade_outbox_backlog[5m])", false)]
    [InlineData("sum(x{name=\"energytrade_outbox_backlog\"})", false)]
    public void The_sum_check_finds_a_sum_over_an_outbox_gauge_and_nothing_else(string expr, bool sums)
    {
        Assert.Equal(sums, SumsAny(expr, OutboxGauges));
    }

    [Fact]
    public async Task Every_panel_query_with_grafanas_interval_variables_filled_in_is_promql_that_promtool_accepts()
    {
        var promtool = Environment.GetEnvironmentVariable("ENERGYTRADE_PROMTOOL") is { Length: > 0 } configured ? configured : "/usr/bin/promtool";
        Assert.True(File.Exists(promtool),
            $"promtool not found at {promtool}: scripts/check-observability.sh installs it (Debian's prometheus package), or set ENERGYTRADE_PROMTOOL");

        var rules = new StringBuilder("groups:\n  - name: energytrade-pipeline-dashboard\n    rules:\n");
        var names = new List<string>();
        foreach (var panel in Panels(LoadDashboard()).Where(p => !IsRow(p)))
        {
            foreach (var target in Targets(panel))
            {
                var expr = GrafanaInterval().Replace(target.GetProperty("expr").GetString() ?? "", "1m");
                var record = $"dashboard:panel_{panel.GetProperty("id").GetInt64()}_{target.GetProperty("refId").GetString()}";
                names.Add($"{record} = '{Title(panel)}'");
                // A JSON string is a YAML double-quoted scalar.
                rules.Append("      - record: ").Append(record).Append('\n')
                    .Append("        expr: ").Append(JsonSerializer.Serialize(expr, ReadableJson)).Append('\n');
            }
        }
        Assert.NotEmpty(names);

        var dir = Directory.CreateTempSubdirectory("energytrade-dashboard-rules-").FullName;
        try
        {
            var file = Path.Combine(dir, "dashboard-queries.yml");
            await File.WriteAllTextAsync(file, rules.ToString());
            var start = new ProcessStartInfo(promtool, ["check", "rules", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    Assert.Fail($"{promtool} check rules did not finish within 60 s");
                }
            }
            var output = await stdout + await stderr;
            Assert.True(process.ExitCode == 0,
                $"promtool check rules refused a dashboard query (each is recorded as dashboard:panel_<id>_<refId>):\n{output}\n{string.Join("\n", names)}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Grafana_loads_the_dashboards_from_where_compose_mounts_them_and_opens_the_pipeline_dashboard_first()
    {
        var grafana = Stack(BaseCompose)["grafana"];
        var provider = Assert.Single(Sequence(Child(LoadYaml(DashboardProvider), "providers")));
        Assert.Equal("file", Text(Child(provider, "type")));
        var path = Text(Child(Child(provider, "options"), "path"));
        Assert.NotNull(path);

        // The provider's directory is the repository's dashboards directory, and holds the dashboard.
        Assert.Equal(Repository.PathOf(Path.GetDirectoryName(Dashboard)!.Replace('\\', '/')), Resolve(grafana, path));
        Assert.Equal(Repository.PathOf(Dashboard), Resolve(grafana, path + "/" + Path.GetFileName(Dashboard)));
        // Grafana reads its provisioning where compose puts these files.
        Assert.Equal(Repository.PathOf(DashboardProvider), Resolve(grafana, "/etc/grafana/provisioning/dashboards/" + Path.GetFileName(DashboardProvider)));
        Assert.Equal(Repository.PathOf(DataSources), Resolve(grafana, "/etc/grafana/provisioning/datasources/" + Path.GetFileName(DataSources)));
        // The home dashboard.
        Assert.True(grafana.Environment.TryGetValue("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH", out var home), "grafana sets GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        Assert.Equal(Repository.PathOf(Dashboard), Resolve(grafana, home));
    }

    [Fact]
    public void Grafana_provisions_every_data_source_the_dashboard_and_the_other_data_sources_name()
    {
        var sources = Sequence(Child(LoadYaml(DataSources), "datasources"))
            .Select(s => (Uid: Text(Child(s, "uid")) ?? "", Type: Text(Child(s, "type")) ?? "", Url: Text(Child(s, "url")) ?? ""))
            .ToList();
        Assert.Contains(("prometheus", "prometheus", "http://prometheus:9090"), sources);
        Assert.Contains(("loki", "loki", "http://loki:3100"), sources);
        Assert.Contains(("jaeger", "jaeger", "http://jaeger:16686"), sources);

        // The dashboard's variable starts on the provisioned Prometheus.
        var variable = LoadDashboard().GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "datasource");
        Assert.Equal("prometheus", variable.GetProperty("current").GetProperty("value").GetString());

        // Links between data sources (logs to traces, traces to logs) name provisioned uids.
        var uids = sources.Select(s => s.Uid).ToHashSet();
        var linked = DataSourceUids(LoadYaml(DataSources)).ToList();
        Assert.NotEmpty(linked);
        Assert.All(linked, uid => Assert.Contains(uid, uids));
    }

    [Fact]
    public void Every_repository_path_a_compose_file_mounts_exists()
    {
        var problems = new List<string>();
        var mounts = 0;
        foreach (var file in new[] { BaseCompose, HaCompose })
        {
            foreach (var (name, service) in Stack(file))
            {
                foreach (var mount in service.Mounts.Where(m => RepositoryMountRoots.Any(r => m.Source == r || m.Source.StartsWith(r + "/", StringComparison.Ordinal))))
                {
                    mounts++;
                    var path = Repository.PathOf(mount.Source);
                    if (!File.Exists(path) && !Directory.Exists(path)) problems.Add($"{file}: service {name} mounts {mount.Source}, which does not exist");
                }
            }
        }
        Assert.True(mounts > 0, "the compose files mount files of the repository");
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_configuration_file_a_compose_service_is_started_with_is_a_mounted_file_of_the_repository()
    {
        var problems = new List<string>();
        var checkedFiles = new List<string>();
        foreach (var files in new[] { new[] { BaseCompose }, new[] { BaseCompose, HaCompose } })
        {
            var stack = string.Join(" + ", files);
            foreach (var (name, service) in Stack(files))
            {
                foreach (var arg in service.Command)
                {
                    var match = ConfigArgument().Match(arg);
                    if (!match.Success) continue;
                    var path = match.Groups["path"].Value;
                    var host = Resolve(service, path);
                    if (host is null) problems.Add($"{stack}: service {name} is started with {arg}, which no bind mount of the repository provides");
                    else if (!File.Exists(host)) problems.Add($"{stack}: service {name} is started with {arg}, but {Path.GetRelativePath(Repository.Root, host)} does not exist");
                    else checkedFiles.Add($"{stack}: {name} {Path.GetRelativePath(Repository.Root, host)}");
                }
            }
        }
        Assert.Empty(problems);
        // Prometheus, the collector and Loki, in each stack.
        Assert.True(checkedFiles.Count >= 6, string.Join("\n", checkedFiles));
        Assert.Contains(checkedFiles, f => f.Replace('\\', '/').EndsWith("prometheus docs/observability/prometheus-ha.yml", StringComparison.Ordinal));
    }

    // ---------------------------------------------------------------- the dashboard

    private static JsonElement LoadDashboard()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Repository.PathOf(Dashboard)));
        return document.RootElement.Clone();
    }

    /// <summary>Every panel, rows and the panels of collapsed rows included.</summary>
    private static List<JsonElement> Panels(JsonElement dashboard)
    {
        var panels = new List<JsonElement>();
        void Walk(JsonElement list)
        {
            foreach (var panel in list.EnumerateArray())
            {
                panels.Add(panel);
                if (panel.TryGetProperty("panels", out var inner) && inner.ValueKind == JsonValueKind.Array) Walk(inner);
            }
        }
        Walk(dashboard.GetProperty("panels"));
        return panels;
    }

    private static bool IsRow(JsonElement panel) => panel.GetProperty("type").GetString() == "row";

    private static string Title(JsonElement panel) => panel.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";

    private static List<JsonElement> Targets(JsonElement panel) =>
        panel.TryGetProperty("targets", out var targets) && targets.ValueKind == JsonValueKind.Array ? targets.EnumerateArray().ToList() : [];

    private static bool IsDataSourceVariable(JsonElement element, string property) =>
        element.TryGetProperty(property, out var ds) && ds.ValueKind == JsonValueKind.Object
        && ds.TryGetProperty("type", out var type) && type.GetString() == "prometheus"
        && ds.TryGetProperty("uid", out var uid) && uid.GetString() == DataSourceVariable;

    /// <summary>The range windows ([…]) of a query, string literals (whose regexes may hold brackets) left out.</summary>
    private static IEnumerable<string> RangeWindows(string expr) =>
        RangeWindow().Matches(StringLiteral().Replace(expr, "\"\"")).Select(m => m.Groups["window"].Value.Trim());

    /// <summary>Whether any sum aggregation of the query (sum, sum by, sum without) has one of the metrics in its argument.</summary>
    private static bool SumsAny(string expr, IEnumerable<string> metrics)
    {
        var code = StringLiteral().Replace(expr, "\"\"");
        foreach (Match sum in SumAggregation().Matches(code))
        {
            // The argument: from the opening parenthesis the match ends on to the one that closes it.
            var depth = 1;
            var end = sum.Index + sum.Length;
            while (end < code.Length && depth > 0)
            {
                if (code[end] == '(') depth++;
                else if (code[end] == ')') depth--;
                end++;
            }
            var argument = code[(sum.Index + sum.Length)..end];
            if (metrics.Any(m => Regex.IsMatch(argument, $@"(?<![\w:]){Regex.Escape(m)}(?![\w:])"))) return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- Grafana's provisioning

    private static IEnumerable<string> DataSourceUids(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    if (key is YamlScalarNode { Value: "datasourceUid" } && value is YamlScalarNode { Value: { } uid }) yield return uid;
                    foreach (var inner in DataSourceUids(value)) yield return inner;
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var inner in sequence.Children.SelectMany(DataSourceUids)) yield return inner;
                break;
        }
    }

    // ---------------------------------------------------------------- compose

    private sealed record Mount(string Source, string Target);

    private sealed class ComposeService
    {
        public List<Mount> Mounts { get; } = [];
        public List<string> Command { get; set; } = [];
        public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// The services of compose files laid over each other as compose merges them, for what these tests
    /// read: volumes add up (a later file mounting the same target wins), a later command replaces an
    /// earlier one, environment variables are overridden one by one.
    /// </summary>
    private static Dictionary<string, ComposeService> Stack(params string[] files)
    {
        var services = new Dictionary<string, ComposeService>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (Child(LoadYaml(file), "services") is not YamlMappingNode nodes) continue;
            foreach (var (key, node) in nodes.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                if (!services.TryGetValue(name, out var service)) services[name] = service = new ComposeService();
                foreach (var mount in BindMounts(node))
                {
                    service.Mounts.RemoveAll(m => m.Target == mount.Target);
                    service.Mounts.Add(mount);
                }
                switch (Child(node, "command"))
                {
                    case YamlSequenceNode args:
                        service.Command = args.Children.Select(a => Text(a) ?? "").ToList();
                        break;
                    case YamlScalarNode { Value: { } line }:
                        service.Command = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
                        break;
                }
                switch (Child(node, "environment"))
                {
                    case YamlMappingNode variables:
                        foreach (var (k, v) in variables.Children)
                        {
                            if (Text(k) is { } variable && variable != "<<") service.Environment[variable] = Text(v) ?? "";
                        }
                        break;
                    case YamlSequenceNode list:
                        foreach (var item in list.Children.Select(Text).OfType<string>())
                        {
                            var eq = item.IndexOf('=', StringComparison.Ordinal);
                            if (eq > 0) service.Environment[item[..eq]] = item[(eq + 1)..];
                        }
                        break;
                }
            }
        }
        return services;
    }

    /// <summary>A service's bind mounts of host paths (short syntax ./src:/target[:mode], or long syntax type: bind).</summary>
    private static IEnumerable<Mount> BindMounts(YamlNode service)
    {
        foreach (var volume in Sequence(Child(service, "volumes")))
        {
            if (volume is YamlScalarNode { Value: { } text })
            {
                var parts = text.Split(':');
                if (parts.Length >= 2 && (parts[0].StartsWith('.') || parts[0].StartsWith('/'))) yield return new Mount(parts[0], parts[1]);
            }
            else if (Text(Child(volume, "type")) == "bind" && Text(Child(volume, "source")) is { } source && Text(Child(volume, "target")) is { } target)
            {
                yield return new Mount(source, target);
            }
        }
    }

    /// <summary>The repository path (absolute) a path inside a service's container comes from, through its bind mounts; null when none provides it.</summary>
    private static string? Resolve(ComposeService service, string? containerPath)
    {
        if (containerPath is null) return null;
        var mount = service.Mounts
            .Where(m => containerPath == m.Target || containerPath.StartsWith(m.Target.TrimEnd('/') + "/", StringComparison.Ordinal))
            .MaxBy(m => m.Target.Length);
        if (mount is null || !mount.Source.StartsWith("./", StringComparison.Ordinal)) return null;
        var rest = containerPath[mount.Target.Length..].TrimStart('/');
        return Repository.PathOf(rest.Length == 0 ? mount.Source : mount.Source.TrimEnd('/') + "/" + rest);
    }

    // ---------------------------------------------------------------- YAML

    private static YamlNode LoadYaml(string relative)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(Repository.PathOf(relative)))
        {
            stream.Load(reader);
        }
        return Assert.Single(stream.Documents).RootNode;
    }

    /// <summary>A mapping's value for a key, looked up in its merge keys (&lt;&lt;: *anchor) too.</summary>
    private static YamlNode? Child(YamlNode? node, string key)
    {
        if (node is not YamlMappingNode map) return null;
        if (map.Children.TryGetValue(new YamlScalarNode(key), out var child)) return child;
        if (!map.Children.TryGetValue(new YamlScalarNode("<<"), out var merged)) return null;
        return merged is YamlSequenceNode sources
            ? sources.Children.Select(s => Child(s, key)).FirstOrDefault(c => c is not null)
            : Child(merged, key);
    }

    private static IEnumerable<YamlNode> Sequence(YamlNode? node) => node is YamlSequenceNode sequence ? sequence.Children : [];

    private static string? Text(YamlNode? node) => (node as YamlScalarNode)?.Value;

    // ---------------------------------------------------------------- patterns

    /// <summary>Grafana's interval variables, as $__name or ${__name}.</summary>
    [GeneratedRegex(@"\$\{?__(?:rate_interval|interval|range)\}?")]
    private static partial Regex GrafanaInterval();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\[(?<window>[^\]]*)\]")]
    private static partial Regex RangeWindow();

    /// <summary>sum, sum by (…) or sum without (…), up to the opening parenthesis of its argument.</summary>
    [GeneratedRegex(@"(?<![\w:])sum\s*(?:(?:by|without)\s*\([^()]*\)\s*)?\(")]
    private static partial Regex SumAggregation();

    /// <summary>Prometheus' --config.file=, the collector's --config=, Loki's -config.file=.</summary>
    [GeneratedRegex(@"^--?config(?:\.file)?=(?<path>/\S+)$")]
    private static partial Regex ConfigArgument();
}
