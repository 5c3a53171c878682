using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Config;

/// <summary>config use NAME: the profile commands use when neither --profile nor $ENERGYTRADE_PROFILE names one.</summary>
public sealed class ConfigUseCommand(CliEnvironment environment) : AsyncCommand<ConfigUseSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ConfigUseSettings settings, CancellationToken cancellationToken)
    {
        var name = ProfileName.Check(settings.Name.Trim(), "The profile");
        var directory = ConfigDirectory.Require(environment.Variables);
        var known = ConfigFile.Load(directory.ConfigFile).Profiles.ContainsKey(name) || name == ProfileName.Default || File.Exists(directory.LoginFile(name));
        if (!known)
        {
            throw new UsageException($"There is no profile '{name}' yet: create it first, e.g. energytrade config set authority URL --profile {name} " +
                "(energytrade config profiles lists them).");
        }
        await ConfigFile.UpdateAsync(directory, file => file.DefaultProfile = name == ProfileName.Default ? null : name, environment.Clock, cancellationToken);
        environment.Out.Write(new Text($"Commands use profile '{name}' unless --profile or {ProfileName.Variable} names another.{System.Environment.NewLine}"));
        if (environment.Variables(ProfileName.Variable) is { Length: > 0 } variable && variable != name)
        {
            ErrorView.Warn(environment.Error, $"{ProfileName.Variable} is set to '{variable}', which wins while it is.");
        }
        return ExitCodes.Success;
    }
}
