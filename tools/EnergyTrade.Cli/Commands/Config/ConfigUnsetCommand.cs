using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Profiles;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Config;

/// <summary>config unset KEY: removes a setting from the profile; a profile left empty is removed too.</summary>
public sealed class ConfigUnsetCommand(CliEnvironment environment) : AsyncCommand<ConfigKeySettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ConfigKeySettings settings, CancellationToken cancellationToken)
    {
        var key = settings.ConfigKey;
        var profile = ConfigProfile.Load(settings.Profile, environment.Variables);
        var removed = false;
        if (profile.Values.ContainsKey(key.Name))
        {
            await ConfigFile.UpdateAsync(profile.RequireDirectory(), file =>
            {
                if (!file.Profiles.TryGetValue(profile.Name, out var values)) return;
                removed = values.Remove(key.Name);
                if (values.Count == 0) file.Profiles.Remove(profile.Name);
            }, environment.Clock, cancellationToken);
        }
        environment.Out.Write(new Text(removed
            ? $"Removed {key.Name} from profile '{profile.Name}'.{System.Environment.NewLine}"
            : $"{key.Name} was not set in profile '{profile.Name}'; nothing changed.{System.Environment.NewLine}"));
        return ExitCodes.Success;
    }
}
