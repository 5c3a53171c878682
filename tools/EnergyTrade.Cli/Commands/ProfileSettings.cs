using System.ComponentModel;
using EnergyTrade.Cli.Profiles;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands;

/// <summary>The option every command takes: which profile of config.json to run with.</summary>
public class ProfileSettings : CommandSettings
{
    [CommandOption("--profile <NAME>")]
    [Description($"Profile of settings and sign-in to use. Default: ${ProfileName.Variable}, else the one `energytrade config use` chose, else default")]
    public string? Profile { get; set; }
}
