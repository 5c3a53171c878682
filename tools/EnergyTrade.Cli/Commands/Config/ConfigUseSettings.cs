using System.ComponentModel;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Config;

public sealed class ConfigUseSettings : CommandSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The profile the commands use when neither --profile nor $ENERGYTRADE_PROFILE names one")]
    public string Name { get; set; } = "";
}
