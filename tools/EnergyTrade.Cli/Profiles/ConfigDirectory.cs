namespace EnergyTrade.Cli.Profiles;

/// <summary>
/// Where the CLI keeps its configuration and cached sign-ins: $ENERGYTRADE_CONFIG_DIR, else
/// $XDG_CONFIG_HOME/energytrade, else ~/.config/energytrade ($HOME; on Windows %APPDATA%\energytrade).
/// Read only through the environment the CLI was given, so a test's run never touches the real home.
/// </summary>
public sealed record ConfigDirectory(string Path)
{
    public const string Variable = "ENERGYTRADE_CONFIG_DIR";

    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");
    public string TokensDirectory => System.IO.Path.Combine(Path, "tokens");

    /// <summary>The cached sign-in of a profile.</summary>
    public string LoginFile(string profile) => System.IO.Path.Combine(TokensDirectory, $"{profile}.json");

    /// <summary>What <see cref="ClientCredentialsFile"/> adds to the profile's name; no profile's name ends so (<see cref="ProfileName"/>).</summary>
    public const string ClientCredentialsSuffix = ".client-credentials";

    /// <summary>The token fetched with ENERGYTRADE_CLIENT_ID/ENERGYTRADE_CLIENT_SECRET, reused by the next command of a script.</summary>
    public string ClientCredentialsFile(string profile) => System.IO.Path.Combine(TokensDirectory, $"{profile}{ClientCredentialsSuffix}.json");

    /// <summary>Held while a profile's tokens are renewed, written or deleted (<see cref="Auth.SignInLock"/>); never deleted itself.</summary>
    public string LockFile(string profile) => System.IO.Path.Combine(TokensDirectory, $"{profile}.lock");

    /// <summary>Null when the environment names no home at all.</summary>
    public static ConfigDirectory? Locate(Func<string, string?> variables)
    {
        if (variables(Variable) is { Length: > 0 } explicitDirectory) return new(System.IO.Path.GetFullPath(explicitDirectory));
        if (variables("XDG_CONFIG_HOME") is { Length: > 0 } xdg && System.IO.Path.IsPathRooted(xdg)) return new(System.IO.Path.Combine(xdg, "energytrade"));
        if (variables("HOME") is { Length: > 0 } home) return new(System.IO.Path.Combine(home, ".config", "energytrade"));
        if (OperatingSystem.IsWindows() && variables("APPDATA") is { Length: > 0 } appData) return new(System.IO.Path.Combine(appData, "energytrade"));
        return null;
    }

    /// <summary>The directory, or a usage error saying how to name one.</summary>
    public static ConfigDirectory Require(Func<string, string?> variables) =>
        Locate(variables) ?? throw new Infrastructure.UsageException(
            $"There is no home directory to keep the configuration in: set {Variable} (or XDG_CONFIG_HOME, or HOME).");
}
