using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.SignIn;

public sealed class WhoamiSettings : SignInSettings
{
    [CommandOption("-o|--output <FORMAT>")]
    [Description("table (for people, the default) or json (for scripts)")]
    public string? Output { get; set; }

    public bool Json => string.Equals(Output, "json", StringComparison.OrdinalIgnoreCase);

    public override ValidationResult Validate() =>
        Output is null || Output.Equals("table", StringComparison.OrdinalIgnoreCase) || Json
            ? ValidationResult.Success()
            : ValidationResult.Error($"--output '{Output}' is not a format here; use table or json.");
}
