using System.ComponentModel;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Config;

public sealed class ConfigSetSettings : ConfigKeySettings
{
    [CommandArgument(1, "<VALUE>")]
    [Description("A URL for the *_url keys and authority; a file for ca_file, client_certificate and client_key (kept as an absolute path)")]
    public string Value { get; set; } = "";
}
