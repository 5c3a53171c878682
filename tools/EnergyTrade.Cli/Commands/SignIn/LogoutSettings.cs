using System.ComponentModel;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.SignIn;

public sealed class LogoutSettings : ProfileSettings
{
    [CommandOption("--ca-file <FILE>")]
    [Description("PEM file of a CA to trust for the identity provider's https certificate, besides the system's. " +
        "Default: $ENERGYTRADE_CA_FILE, else the profile's ca_file")]
    public string? CaFile { get; set; }
}
