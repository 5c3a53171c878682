using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Config;

/// <summary>config list: every setting's effective value for the profile, and where it comes from (environment, profile, default).</summary>
public sealed class ConfigListCommand(CliEnvironment environment) : Command<ConfigListSettings>
{
    public override int Execute(CommandContext context, ConfigListSettings settings, CancellationToken cancellationToken)
    {
        var profile = ConfigProfile.Load(settings.Profile, environment.Variables);
        var values = ConfigKey.All.Select(key => profile.Resolve(key)).ToList();
        if (settings.Json) environment.RawOut.WriteLine(ConfigView.SettingsJson(profile, values));
        else environment.Out.Write(ConfigView.Settings(profile, values));
        return ExitCodes.Success;
    }
}
