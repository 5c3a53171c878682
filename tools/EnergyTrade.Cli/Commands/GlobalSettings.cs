using System.ComponentModel;
using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using EnergyTrade.Cli.Transport;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands;

/// <summary>Options every command that talks to the services accepts.</summary>
public class GlobalSettings : ProfileSettings
{
    public const string ShipmentsUrlVariable = "ENERGYTRADE_SHIPMENTS_URL";
    public const string TradeUrlVariable = "ENERGYTRADE_TRADE_URL";
    public const string DefaultShipmentsUrl = ConfigKey.DefaultShipmentsUrl;
    public const string DefaultTradeUrl = ConfigKey.DefaultTradeUrl;
    public const decimal DefaultTimeoutSeconds = 10;
    /// <summary>The commands whose answers are tables of figures worth a spreadsheet; the others refuse --output csv.</summary>
    public const string CsvCommands = "trade totals and trade series";

    [CommandOption("--shipments-url <URL>")]
    [Description($"Shipments gRPC address. Default: ${ShipmentsUrlVariable}, else the profile's shipments_url, else {DefaultShipmentsUrl}")]
    public string? ShipmentsUrl { get; set; }

    [CommandOption("--trade-url <URL>")]
    [Description($"Trade gRPC address. Default: ${TradeUrlVariable}, else the profile's trade_url, else {DefaultTradeUrl}")]
    public string? TradeUrl { get; set; }

    [CommandOption("--ca-file <FILE>")]
    [Description("PEM file of the CA that issued the services' certificates (https), trusted besides the system's; also for the identity provider. " +
        "Default: $ENERGYTRADE_CA_FILE, else the profile's ca_file")]
    public string? CaFile { get; set; }

    [CommandOption("--client-certificate <FILE>")]
    [Description("PEM client certificate for services that require mutual TLS. Default: $ENERGYTRADE_CLIENT_CERTIFICATE, else the profile's client_certificate")]
    public string? ClientCertificate { get; set; }

    [CommandOption("--client-key <FILE>")]
    [Description("Its unencrypted PEM key, if not in the certificate's file. Default: $ENERGYTRADE_CLIENT_KEY, else the profile's client_key")]
    public string? ClientKey { get; set; }

    [CommandOption("-o|--output <FORMAT>")]
    [Description("table (for people, the default), json (for scripts) or csv (for spreadsheets; " + CsvCommands + " only)")]
    public string? Output { get; set; }

    [CommandOption("--timeout <SECONDS>")]
    [Description("Deadline of each call to a service, in seconds. Default: 10")]
    public decimal? TimeoutSeconds { get; set; }

    public override ValidationResult Validate()
    {
        // By name only: Enum.TryParse would also take "1" or "2" as a format.
        if (Output is not null && !Enum.GetNames<OutputFormat>().Contains(Output, StringComparer.OrdinalIgnoreCase))
        {
            return ValidationResult.Error($"--output '{Output}' is not a format; use table, json or csv.");
        }
        if (TimeoutSeconds is { } t && (t <= 0 || t > 3600))
        {
            return ValidationResult.Error($"--timeout {t} is out of range; give seconds between 0 and 3600.");
        }
        return ValidationResult.Success();
    }

    /// <summary>
    /// Option, else environment variable, else the profile, else default; an unusable URL is a usage error naming where it came from.
    /// </summary>
    public CliOptions Resolve(Func<string, string?> environment)
    {
        var profile = Profiles.ConfigProfile.Load(Profile, environment);
        var format = Output is null ? OutputFormat.Table : Enum.Parse<OutputFormat>(Output, ignoreCase: true);
        var timeout = TimeSpan.FromMilliseconds((double)decimal.Round((TimeoutSeconds ?? DefaultTimeoutSeconds) * 1000m));
        return new CliOptions(
            Profiles.ConfigProfile.Url(profile.Resolve(ConfigKey.ShipmentsUrl, ShipmentsUrl)),
            Profiles.ConfigProfile.Url(profile.Resolve(ConfigKey.TradeUrl, TradeUrl)),
            format, timeout, profile, TlsFiles.Resolve(profile, CaFile, ClientCertificate, ClientKey));
    }
}
