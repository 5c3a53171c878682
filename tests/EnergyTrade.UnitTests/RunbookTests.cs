using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace EnergyTrade.UnitTests;

/// <summary>
/// docs/operations.md against the alert rules it documents: every rule in docs/observability/alerts*.yml
/// has a severity, a summary and a runbook_url naming a section of the runbook that exists, and every
/// script the runbook tells an operator to run is there and can be run.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class RunbookTests
{
    private const string Runbook = "docs/operations.md";
    private static readonly string[] Severities = ["page", "ticket"];

    [Fact]
    public void Every_alert_rule_has_a_severity_a_summary_and_a_runbook_section_of_its_own()
    {
        var root = Repository.Root;
        var anchors = HeadingAnchors(File.ReadAllText(Path.Combine(root, Runbook)));
        var rules = AlertRules(root);
        Assert.NotEmpty(rules);

        var problems = new List<string>();
        foreach (var rule in rules)
        {
            var at = $"{rule.File}: alert {rule.Name}";
            if (rule.Severity is null || !Severities.Contains(rule.Severity)) problems.Add($"{at}: labels.severity is '{rule.Severity}', not page or ticket");
            if (string.IsNullOrWhiteSpace(rule.Summary)) problems.Add($"{at}: annotations.summary is missing");
            var anchor = rule.Name.ToLowerInvariant();
            var expected = $"{Runbook}#{anchor}";
            if (rule.RunbookUrl != expected) problems.Add($"{at}: annotations.runbook_url is '{rule.RunbookUrl}', not '{expected}'");
            if (!anchors.Contains(anchor)) problems.Add($"{at}: {Runbook} has no heading whose anchor is #{anchor} (e.g. '### {rule.Name}')");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_alert_rule_is_named_once_across_the_rule_files()
    {
        var duplicates = AlertRules(Repository.Root)
            .GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(r => r.File))}")
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Every_script_the_runbook_names_exists_and_the_ones_to_run_are_executable()
    {
        var root = Repository.Root;
        var scripts = ScriptPath().Matches(File.ReadAllText(Path.Combine(root, Runbook)))
            .Select(m => m.Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(scripts);

        var problems = new List<string>();
        foreach (var script in scripts)
        {
            var path = Path.Combine(root, script);
            if (!File.Exists(path))
            {
                problems.Add($"{script} does not exist");
                continue;
            }
            // scripts/*.sh are run; scripts/lib/*.sh are sourced (`source scripts/lib/infra.sh`), so they need only exist.
            var run = Path.GetDirectoryName(script) == "scripts";
            if (run && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
            {
                problems.Add($"{script} is not executable (chmod +x)");
            }
        }
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("TradeFallingBehind", "tradefallingbehind")]
    [InlineData("Re-driving `_error`", "re-driving-_error")]
    [InlineData("Upgrades and how their migrations run", "upgrades-and-how-their-migrations-run")]
    [InlineData("What to watch, and where", "what-to-watch-and-where")]
    public void A_heading_gets_the_anchor_GitHub_gives_it(string heading, string anchor)
    {
        Assert.Equal(anchor, GitHubAnchor(heading));
    }

    [Fact]
    public void Only_headings_outside_code_blocks_count()
    {
        const string markdown = """
            # Title
            ```bash
            # PostgresDown
            ```
              ```sql
            ## Not a heading either
              ```
            ### ServiceDown ###
            """;

        string[] expected = ["servicedown", "title"];
        Assert.Equal(expected, HeadingAnchors(markdown).Order(StringComparer.Ordinal));
    }

    private sealed record AlertRule(string File, string Name, string? Severity, string? Summary, string? RunbookUrl);

    /// <summary>The alerting rules (not recording rules) of every docs/observability/alerts*.yml.</summary>
    private static List<AlertRule> AlertRules(string root)
    {
        var files = Directory.GetFiles(Path.Combine(root, "docs", "observability"), "alerts*.yml").Order(StringComparer.Ordinal).ToList();
        Assert.Contains(files, f => Path.GetFileName(f) == "alerts.yml");

        var rules = new List<AlertRule>();
        foreach (var file in files)
        {
            var name = Path.GetRelativePath(root, file).Replace('\\', '/');
            var stream = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                stream.Load(reader);
            }
            var groups = Assert.IsType<YamlSequenceNode>(Child(Assert.Single(stream.Documents).RootNode, "groups"));
            foreach (var group in groups)
            {
                if (Child(group, "rules") is not YamlSequenceNode ruleNodes) continue;
                foreach (var rule in ruleNodes)
                {
                    if (Text(Child(rule, "alert")) is not { } alert) continue;
                    rules.Add(new AlertRule(name, alert,
                        Text(Child(Child(rule, "labels"), "severity")),
                        Text(Child(Child(rule, "annotations"), "summary")),
                        Text(Child(Child(rule, "annotations"), "runbook_url"))));
                }
            }
        }
        return rules;
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Text(YamlNode? node) => (node as YamlScalarNode)?.Value;

    /// <summary>The anchors GitHub gives the ATX headings of a markdown text, leaving fenced code blocks out.</summary>
    private static HashSet<string> HeadingAnchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in markdown.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }
            if (fenced) continue;
            var heading = Heading().Match(line.TrimEnd('\r'));
            if (heading.Success) anchors.Add(GitHubAnchor(heading.Groups["text"].Value));
        }
        return anchors;
    }

    /// <summary>GitHub's anchor for a heading: lower case, punctuation dropped (but - and _), each space a hyphen.</summary>
    private static string GitHubAnchor(string heading)
    {
        var anchor = new StringBuilder();
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_') anchor.Append(c);
            else if (c == ' ') anchor.Append('-');
        }
        return anchor.ToString();
    }

    [GeneratedRegex(@"^ {0,3}#{1,6}[ \t]+(?<text>.*?)(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"(?<![\w./-])scripts/(?:[\w-]+/)*[\w.-]+\.sh(?![\w.-])")]
    private static partial Regex ScriptPath();
}
