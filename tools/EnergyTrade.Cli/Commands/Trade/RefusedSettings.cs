using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Trade;

public sealed class RefusedSettings : GlobalSettings
{
    [CommandOption("--dismiss <MESSAGE_ID>")]
    [Description("Forget the refusals of one message (needs the trade:admin scope): for a message that can never be applied, once purged from _error")]
    public string? Dismiss { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        return Dismiss is { } id && !Guid.TryParse(id, out _)
            ? ValidationResult.Error($"--dismiss '{id}' is not a message id; copy one from the list.")
            : ValidationResult.Success();
    }
}
