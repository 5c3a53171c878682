using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Config;

/// <summary>
/// config get KEY: the value the profile holds, alone on standard output for scripts; exit code 1 when it holds none
/// (config list shows the effective values, with the environment and the defaults).
/// </summary>
public sealed class ConfigGetCommand(CliEnvironment environment) : Command<ConfigKeySettings>
{
    public override int Execute(CommandContext context, ConfigKeySettings settings, CancellationToken cancellationToken)
    {
        var key = settings.ConfigKey;
        var profile = ConfigProfile.Load(settings.Profile, environment.Variables);
        if (profile.Values.TryGetValue(key.Name, out var value))
        {
            environment.RawOut.WriteLine(value);
            return ExitCodes.Success;
        }
        var effective = profile.Resolve(key);
        ErrorView.Write(environment.Error, new Grpc.FormattedError($"{key.Name} is not set in profile '{profile.Name}'" +
            (effective.IsSet ? $"; the commands use {effective.Value} ({effective.Source})." : "."), []));
        return ExitCodes.Failure;
    }
}
