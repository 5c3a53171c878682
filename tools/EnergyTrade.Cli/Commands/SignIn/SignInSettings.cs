using System.ComponentModel;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.SignIn;

/// <summary>Where and as which client to sign in: the options of login, whoami and token.</summary>
public class SignInSettings : ProfileSettings
{
    [CommandOption("--authority <URL>")]
    [Description("The identity provider's issuer URL, e.g. http://127.0.0.1:5300/ or https://HOST/realms/energytrade. " +
        "Default: $ENERGYTRADE_AUTHORITY, else the profile's authority")]
    public string? Authority { get; set; }

    [CommandOption("--client-id <ID>")]
    [Description("OAuth client. Default: $ENERGYTRADE_CLIENT_ID, else the profile's client_id, else energytrade-cli (people's device sign-in)")]
    public string? ClientId { get; set; }

    [CommandOption("--ca-file <FILE>")]
    [Description("PEM file of a CA to trust for the identity provider's https certificate, besides the system's. " +
        "Default: $ENERGYTRADE_CA_FILE, else the profile's ca_file")]
    public string? CaFile { get; set; }
}
