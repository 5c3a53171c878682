using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.SignIn;

public sealed class LoginSettings : SignInSettings
{
    [CommandOption("--scope <SCOPES>")]
    [Description("Space-separated scopes to ask for. Default: $ENERGYTRADE_SCOPE, else the profile's scope, else for a person all five and " +
        "offline_access (the provider grants what their roles allow), for client credentials what the client is registered for")]
    public string? Scope { get; set; }

    [CommandOption("--client-credentials")]
    [Description("Sign in as a client (scripts, services) with its secret rather than as a person; implied when a secret is given")]
    public bool ClientCredentials { get; set; }

    [CommandOption("--client-secret-file <FILE>")]
    [Description("File holding the client's secret (never give a secret on the command line). Default: $ENERGYTRADE_CLIENT_SECRET")]
    public string? ClientSecretFile { get; set; }

    public override ValidationResult Validate() =>
        Scope is { } scope && string.IsNullOrWhiteSpace(scope) ? ValidationResult.Error("--scope is empty; name at least one scope.") : ValidationResult.Success();
}
