using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Config;

/// <summary>config set KEY VALUE: keeps a setting in the profile (created if new), in config.json, owner-only and replaced atomically.</summary>
public sealed class ConfigSetCommand(CliEnvironment environment) : AsyncCommand<ConfigSetSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ConfigSetSettings settings, CancellationToken cancellationToken)
    {
        var key = settings.ConfigKey;
        var profile = ConfigProfile.Load(settings.Profile, environment.Variables, mayBeNew: true);
        var directory = profile.RequireDirectory();
        var value = ConfigValues.Check(key, settings.Value);
        await ConfigFile.UpdateAsync(directory, file =>
        {
            if (!file.Profiles.TryGetValue(profile.Name, out var values)) file.Profiles[profile.Name] = values = new(StringComparer.Ordinal);
            values[key.Name] = value;
        }, environment.Clock, cancellationToken);
        environment.Out.Write(new Text($"{key.Name} = {value} in profile '{profile.Name}' ({directory.ConfigFile}).{System.Environment.NewLine}"));
        if (environment.Variables(key.Variable) is { Length: > 0 }) ErrorView.Warn(environment.Error, $"{key.Variable} is set, and overrides it while it is.");
        return ExitCodes.Success;
    }
}
