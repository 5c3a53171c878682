using System.ComponentModel;
using EnergyTrade.Contracts.Security;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands;

public sealed class TokenSettings : CommandSettings
{
    [CommandOption("--scope <SCOPES>")]
    [Description("Space-separated scopes: shipments:write shipments:read trade:read. Default: all three")]
    public string? Scope { get; set; }

    [CommandOption("--lifetime <MINUTES>")]
    [Description("How long the token is valid, in minutes. Default: 60")]
    public int LifetimeMinutes { get; set; } = 60;

    public override ValidationResult Validate()
    {
        if (LifetimeMinutes is < 1 or > 24 * 60) return ValidationResult.Error($"--lifetime {LifetimeMinutes} is out of range; use 1 to 1440 minutes.");
        var unknown = ScopeList.Where(s => !Scopes.All.Contains(s)).ToList();
        return unknown.Count == 0
            ? ValidationResult.Success()
            : ValidationResult.Error($"--scope: unknown scope {string.Join(", ", unknown)}; the scopes are {string.Join(" ", Scopes.All)}.");
    }

    public IReadOnlyList<string> ScopeList =>
        Scope is null ? Scopes.All : Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
