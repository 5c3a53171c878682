using System.ComponentModel;
using EnergyTrade.Contracts.Security;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.SignIn;

public sealed class TokenSettings : SignInSettings
{
    [CommandOption("--scope <SCOPES>")]
    [Description("Space-separated scopes the token must carry: " + ScopeNames + ". In local-development mode the token is minted with " +
        "them (default: all five); a provider's token is printed as it is, with a warning for any it lacks")]
    public string? Scope { get; set; }

    [CommandOption("--lifetime <MINUTES>")]
    [Description("Local-development mode only: how long the minted token is valid, in minutes. Default: 60")]
    public int? LifetimeMinutes { get; set; }

    private const string ScopeNames = $"{Scopes.ShipmentsRead} {Scopes.ShipmentsWrite} {Scopes.TradeRead} {Scopes.ShipmentsAdmin} {Scopes.TradeAdmin}";

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
