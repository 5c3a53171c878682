using System.ComponentModel;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands;

/// <summary>Options every command accepts.</summary>
public class GlobalSettings : CommandSettings
{
    public const string ShipmentsUrlVariable = "ENERGYTRADE_SHIPMENTS_URL";
    public const string TradeUrlVariable = "ENERGYTRADE_TRADE_URL";
    public const string DefaultShipmentsUrl = "http://localhost:5101";
    public const string DefaultTradeUrl = "http://localhost:5201";
    public const decimal DefaultTimeoutSeconds = 10;
    /// <summary>The commands whose answers are tables of figures worth a spreadsheet; the others refuse --output csv.</summary>
    public const string CsvCommands = "trade totals and trade series";

    [CommandOption("--shipments-url <URL>")]
    [Description($"Shipments gRPC address. Default: ${ShipmentsUrlVariable}, else {DefaultShipmentsUrl}")]
    public string? ShipmentsUrl { get; set; }

    [CommandOption("--trade-url <URL>")]
    [Description($"Trade gRPC address. Default: ${TradeUrlVariable}, else {DefaultTradeUrl}")]
    public string? TradeUrl { get; set; }

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

    /// <summary>Option, else environment variable, else default; an unusable URL is a usage error naming where it came from.</summary>
    public CliOptions Resolve(Func<string, string?> environment)
    {
        var format = Output is null ? OutputFormat.Table : Enum.Parse<OutputFormat>(Output, ignoreCase: true);
        var timeout = TimeSpan.FromMilliseconds((double)decimal.Round((TimeoutSeconds ?? DefaultTimeoutSeconds) * 1000m));
        return new CliOptions(
            Url(ShipmentsUrl, "--shipments-url", environment(ShipmentsUrlVariable), ShipmentsUrlVariable, DefaultShipmentsUrl),
            Url(TradeUrl, "--trade-url", environment(TradeUrlVariable), TradeUrlVariable, DefaultTradeUrl),
            format, timeout);
    }

    private static Uri Url(string? option, string optionName, string? variable, string variableName, string fallback)
    {
        var (text, source) = option is { Length: > 0 } ? (option, optionName)
            : variable is { Length: > 0 } ? (variable, variableName)
            : (fallback, "default");
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }
        throw new UsageException($"{source} '{text}' is not an http:// or https:// URL (e.g. {fallback}).");
    }
}
