using System.Diagnostics;

namespace EnergyTrade.UnitTests;

/// <summary>
/// scripts/lib/infra.sh installs PostgreSQL from Debian's packages on a machine that lacks it, as it does
/// RabbitMQ. Run against a fake apt-get first on PATH and an empty package root: nothing is installed here.
/// </summary>
[Trait("Category", "Unit")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InfraEnsureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("energytrade-infra-ensure-").FullName;

    private string PgRoot => Path.Combine(_dir, "postgresql");
    private string AptLog => Path.Combine(_dir, "apt.log");

    public InfraEnsureTests()
    {
        Directory.CreateDirectory(PgRoot);
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        // The fake records its arguments; an install of postgresql-15 leaves a pg_ctl where Debian's package puts it.
        File.WriteAllText(Path.Combine(bin, "apt-get"), $$"""
            #!/bin/bash
            printf '%s\n' "$*" >>'{{AptLog}}'
            if [[ " $* " == *" install "* && " $* " == *" postgresql-15 "* && -z ${FAKE_APT_BREAKS:-} ]]; then
                mkdir -p '{{PgRoot}}/15/bin' && printf '#!/bin/sh\n' >'{{PgRoot}}/15/bin/pg_ctl' && chmod +x '{{PgRoot}}/15/bin/pg_ctl'
            fi
            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(Path.Combine(bin, "apt-get"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private (int ExitCode, string Output) EnsurePostgres(bool aptBreaks = false)
    {
        var start = new ProcessStartInfo("bash", ["-c", "source scripts/lib/infra.sh && infra_ensure_postgres && _infra_pg_bindir"])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only the fake and the basic tools: no pg_ctl on PATH (a /usr/local/bin one would count as installed).
        start.Environment["PATH"] = $"{Path.Combine(_dir, "bin")}:/usr/bin:/bin";
        start.Environment["INFRA_PG_SEARCH_ROOT"] = PgRoot;
        start.Environment.Remove("INFRA_PG_BIN");
        if (aptBreaks) start.Environment["FAKE_APT_BREAKS"] = "1";
        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        if (!bash.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            bash.Kill(entireProcessTree: true);
            Assert.Fail("infra_ensure_postgres did not finish within 30 s");
        }
        return (bash.ExitCode, stdout.Result + stderr.Result);
    }

    private string[] AptCalls() => File.Exists(AptLog) ? File.ReadAllLines(AptLog) : [];

    [Fact]
    public void A_machine_without_PostgreSQL_gets_Debian_s_postgresql_15_installed_by_root_or_is_told_what_to_install()
    {
        var (exit, output) = EnsurePostgres();
        if (Environment.UserName != "root")
        {
            Assert.NotEqual(0, exit);
            Assert.Contains("postgresql-15 is not installed; install it as root", output);
            Assert.Empty(AptCalls());
            return;
        }
        Assert.True(exit == 0, output);
        Assert.Contains(AptCalls(), c => c.Contains("update"));
        Assert.Contains(AptCalls(), c => c.Contains("install") && c.Contains("--no-install-recommends") && c.EndsWith("postgresql-15"));
        Assert.Contains("installed postgresql-15", output);
        Assert.EndsWith(Path.Combine(PgRoot, "15", "bin") + "\n", output);
    }

    [Fact]
    public void A_machine_with_PostgreSQL_installs_nothing()
    {
        Directory.CreateDirectory(Path.Combine(PgRoot, "15", "bin"));
        File.WriteAllText(Path.Combine(PgRoot, "15", "bin", "pg_ctl"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(PgRoot, "15", "bin", "pg_ctl"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var (exit, output) = EnsurePostgres();

        Assert.True(exit == 0, output);
        Assert.Empty(AptCalls());
        Assert.Equal(Path.Combine(PgRoot, "15", "bin"), output.Trim());
    }

    [Fact]
    public void An_install_that_leaves_no_server_fails_and_says_how_to_see_why()
    {
        if (Environment.UserName != "root") return;

        var (exit, output) = EnsurePostgres(aptBreaks: true);

        Assert.NotEqual(0, exit);
        Assert.Contains("installing postgresql-15 failed; run it by hand to see why", output);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
