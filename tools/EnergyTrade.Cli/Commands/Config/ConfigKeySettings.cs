using System.ComponentModel;
using EnergyTrade.Cli.Profiles;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Config;

public class ConfigKeySettings : ProfileSettings
{
    [CommandArgument(0, "<KEY>")]
    [Description("One of: shipments_url, trade_url, authority, client_id, scope, ca_file, client_certificate, client_key")]
    public string Key { get; set; } = "";

    public ConfigKey ConfigKey => ConfigKey.Find(Key);
}
