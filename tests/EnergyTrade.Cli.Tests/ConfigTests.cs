using System.Text.Json;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Trade.V1;

namespace EnergyTrade.Cli.Tests;

/// <summary>Profiles in config.json: what `config` writes, how, and which value wins.</summary>
[Trait("Category", "Unit")]
public sealed class ConfigTests : IDisposable
{
    private readonly TemporaryDirectory _home = new();

    private string ConfigDirectory => _home.File("config");
    private string ConfigFile => Path.Combine(ConfigDirectory, "config.json");

    private CliRun Run()
    {
        var run = new CliRun();
        run.Variables["ENERGYTRADE_CONFIG_DIR"] = ConfigDirectory;
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>(Replies.Totals, _ => Replies.SeedTotals());
        return run;
    }

    private static JsonElement Json(CliRun run) => JsonDocument.Parse(run.Json.ToString()).RootElement;

    [Fact]
    public async Task Each_setting_comes_from_the_option_else_the_environment_else_the_profile_else_the_default()
    {
        var run = Run();
        await run.RunAsync("trade", "totals", "AZ", "BY");
        Assert.Equal(0, await run.RunAsync("config", "set", "trade_url", "http://from-profile:7000"));
        await run.RunAsync("trade", "totals", "AZ", "BY");
        run.Variables["ENERGYTRADE_TRADE_URL"] = "http://from-environment:7000";
        await run.RunAsync("trade", "totals", "AZ", "BY");
        await run.RunAsync("trade", "totals", "AZ", "BY", "--trade-url", "http://from-option:7000");

        Assert.Equal(["http://localhost:5201/", "http://from-profile:7000/", "http://from-environment:7000/", "http://from-option:7000/"],
            run.Urls.Select(u => u.ToString()));
    }

    [Fact]
    public async Task Config_list_shows_each_effective_value_and_where_it_comes_from()
    {
        var run = Run();
        await run.RunAsync("config", "set", "authority", "https://login.example.org/realms/energytrade");
        await run.RunAsync("config", "set", "trade_url", "http://from-profile:7000");
        run.Variables["ENERGYTRADE_TRADE_URL"] = "http://from-environment:7000";

        Assert.Equal(0, await run.RunAsync("config", "list", "--output", "json"));

        var settings = Json(run).GetProperty("settings");
        (string?, string?) Of(string key) => (settings.GetProperty(key).GetProperty("value").GetString(), settings.GetProperty(key).GetProperty("source").GetString());
        Assert.Equal(("https://login.example.org/realms/energytrade", "profile 'default'"), Of("authority"));
        Assert.Equal(("http://from-environment:7000", "ENERGYTRADE_TRADE_URL"), Of("trade_url"));
        Assert.Equal(("http://localhost:5101", "default"), Of("shipments_url"));
        Assert.Equal(("energytrade-cli", "default"), Of("client_id"));
        Assert.Equal((null, "not set"), Of("ca_file"));

        Assert.Equal(0, await run.RunAsync("config", "list"));
        Assert.Contains("ENERGYTRADE_TRADE_URL", run.Out.ToString());
        Assert.Contains("profile 'default'", run.Out.ToString());
    }

    [Fact]
    public async Task The_config_file_and_its_directory_are_readable_by_their_owner_only()
    {
        Assert.Equal(0, await Run().RunAsync("config", "set", "authority", "http://127.0.0.1:5300/"));

        FileModes.AssertOwnerOnly(ConfigFile);
        FileModes.AssertOwnerOnlyDirectory(ConfigDirectory);
    }

    [Fact]
    public async Task A_change_replaces_the_config_file_whole_leaving_a_reader_of_the_old_one_undisturbed()
    {
        var run = Run();
        await run.RunAsync("config", "set", "authority", "http://127.0.0.1:5300/");
        var before = File.ReadAllText(ConfigFile);
        using var reader = new FileStream(ConfigFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        Assert.Equal(0, await run.RunAsync("config", "set", "trade_url", "http://from-profile:7000"));

        // Written to a new file renamed over the old one: whoever had the old one open still reads it, whole.
        Assert.Equal(before, new StreamReader(reader).ReadToEnd());
        Assert.Contains("from-profile", File.ReadAllText(ConfigFile));
        Assert.Equal(["config.json", "config.lock"], Directory.GetFiles(ConfigDirectory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task An_unknown_key_is_a_usage_error_that_lists_the_keys()
    {
        var run = Run();

        Assert.Equal(2, await run.RunAsync("config", "set", "autority", "http://x"));

        Assert.Contains("'autority' is not a setting; the settings are shipments_url, trade_url, authority, client_id, scope, ca_file, client_certificate, client_key",
            run.Error.ToString());
        Assert.False(File.Exists(ConfigFile));
    }

    [Fact]
    public async Task A_value_that_would_fail_later_is_refused_when_it_is_set()
    {
        var run = Run();

        Assert.Equal(2, await run.RunAsync("config", "set", "authority", "login.example.org"));
        Assert.Contains("authority 'login.example.org' is not an http:// or https:// URL", run.Error.ToString());
        Assert.Equal(2, await run.RunAsync("config", "set", "ca_file", _home.File("missing.crt")));
        Assert.Contains("there is no such file", run.Error.ToString());
        Assert.False(File.Exists(ConfigFile));
    }

    [Fact]
    public async Task A_file_setting_is_kept_as_an_absolute_path()
    {
        var ca = _home.Write("ca.crt", "not checked until used");
        var run = Run();
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, ca);

        Assert.Equal(0, await run.RunAsync("config", "set", "ca_file", relative));
        Assert.Equal(0, await run.RunAsync("config", "get", "ca_file"));

        Assert.Equal(ca, run.Json.ToString().Trim());
    }

    [Fact]
    public async Task Config_get_prints_the_value_alone_and_fails_when_the_profile_holds_none()
    {
        var run = Run();
        await run.RunAsync("config", "set", "authority", "http://127.0.0.1:5300/");

        Assert.Equal(0, await run.RunAsync("config", "get", "authority"));
        Assert.Equal("http://127.0.0.1:5300/" + Environment.NewLine, run.Json.ToString());

        Assert.Equal(1, await run.RunAsync("config", "get", "shipments_url"));
        Assert.Equal("", run.Json.ToString());
        Assert.Contains("shipments_url is not set in profile 'default'; the commands use http://localhost:5101 (default)", run.Error.ToString());
    }

    [Fact]
    public async Task Config_unset_removes_a_setting_and_an_emptied_profile()
    {
        var run = Run();
        await run.RunAsync("config", "set", "authority", "http://127.0.0.1:5300/", "--profile", "dev");

        Assert.Equal(0, await run.RunAsync("config", "unset", "authority", "--profile", "dev"));

        Assert.Contains("Removed authority from profile 'dev'", run.Out.ToString());
        Assert.DoesNotContain("dev", File.ReadAllText(ConfigFile));
    }

    [Fact]
    public async Task The_profile_comes_from_the_option_else_the_environment_else_the_one_config_use_chose()
    {
        var run = Run();
        await run.RunAsync("config", "set", "trade_url", "http://prod:7000", "--profile", "prod");
        await run.RunAsync("config", "set", "trade_url", "http://test:7000", "--profile", "test");

        await run.RunAsync("trade", "totals", "AZ", "BY");
        Assert.Equal(0, await run.RunAsync("config", "use", "prod"));
        await run.RunAsync("trade", "totals", "AZ", "BY");
        run.Variables["ENERGYTRADE_PROFILE"] = "test";
        await run.RunAsync("trade", "totals", "AZ", "BY");
        await run.RunAsync("trade", "totals", "AZ", "BY", "--profile", "prod");

        Assert.Equal(["http://localhost:5201/", "http://prod:7000/", "http://test:7000/", "http://prod:7000/"], run.Urls.Select(u => u.ToString()));
        Assert.Equal(0, await run.RunAsync("config", "profiles", "--output", "json"));
        var profiles = Json(run).GetProperty("profiles").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.True(profiles["prod"].GetProperty("default").GetBoolean());
        Assert.True(profiles["test"].GetProperty("inUse").GetBoolean());
    }

    [Fact]
    public async Task A_profile_that_does_not_exist_is_a_usage_error_rather_than_the_defaults()
    {
        var run = Run();
        await run.RunAsync("config", "set", "trade_url", "http://prod:7000", "--profile", "prod");

        Assert.Equal(2, await run.RunAsync("trade", "totals", "AZ", "BY", "--profile", "prdo"));

        Assert.Contains("There is no profile 'prdo' (--profile)", run.Error.ToString());
        Assert.Contains("the profiles are prod", run.Error.ToString());
        Assert.Empty(run.Server.Calls);
        Assert.Equal(2, await run.RunAsync("config", "use", "prdo"));
    }

    [Fact]
    public async Task A_profile_name_that_could_not_name_a_file_is_refused()
    {
        var run = Run();

        Assert.Equal(2, await run.RunAsync("config", "set", "authority", "http://127.0.0.1:5300/", "--profile", "../evil"));

        Assert.Contains("is not a profile name", run.Error.ToString());
        Assert.False(Directory.Exists(ConfigDirectory));
    }

    [Fact]
    public async Task The_configuration_directory_is_under_XDG_CONFIG_HOME_else_under_HOME()
    {
        var run = new CliRun();
        run.Variables["HOME"] = _home.File("home");
        await run.RunAsync("config", "set", "authority", "http://127.0.0.1:5300/");
        run.Variables["XDG_CONFIG_HOME"] = _home.File("xdg");
        await run.RunAsync("config", "set", "authority", "http://127.0.0.1:5301/");

        Assert.Contains("5300", File.ReadAllText(_home.File("home", ".config", "energytrade", "config.json")));
        Assert.Contains("5301", File.ReadAllText(_home.File("xdg", "energytrade", "config.json")));
    }

    public void Dispose() => _home.Dispose();
}
