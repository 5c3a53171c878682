using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Config;

/// <summary>config profiles: the profiles there are, which is the default, which is in use, and which are signed in.</summary>
public sealed class ConfigProfilesCommand(CliEnvironment environment) : Command<ConfigListSettings>
{
    public override int Execute(CommandContext context, ConfigListSettings settings, CancellationToken cancellationToken)
    {
        var inUse = ConfigProfile.Load(settings.Profile, environment.Variables);
        var directory = inUse.Directory;
        var file = directory is null ? new ConfigFile() : ConfigFile.Load(directory.ConfigFile);
        var signedIn = directory is not null && Directory.Exists(directory.TokensDirectory)
            ? Directory.GetFiles(directory.TokensDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>()
                .Where(n => !n.EndsWith(ConfigDirectory.ClientCredentialsSuffix, StringComparison.OrdinalIgnoreCase)).ToHashSet(StringComparer.Ordinal)
            : [];
        var names = file.Profiles.Keys.Concat(signedIn).Append(file.DefaultProfile ?? ProfileName.Default).Append(inUse.Name)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rows = names.Select(name => new ConfigView.ProfileRow(name, name == (file.DefaultProfile ?? ProfileName.Default), name == inUse.Name,
            signedIn.Contains(name), file.Profiles.GetValueOrDefault(name)?.GetValueOrDefault(ConfigKey.Authority.Name))).ToList();
        if (settings.Json) environment.RawOut.WriteLine(ConfigView.ProfilesJson(rows));
        else environment.Out.Write(ConfigView.Profiles(rows, directory?.ConfigFile));
        return ExitCodes.Success;
    }
}
