using System.ComponentModel;
using EnergyTrade.Cli.Input;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands.Trade;

public sealed class TotalsSettings : GlobalSettings
{
    [CommandArgument(0, "<COUNTRY>")]
    [Description("Reporting country, ISO 3166-1 alpha-2 (e.g. AZ)")]
    public string Country { get; set; } = "";

    [CommandArgument(1, "<PARTNER>")]
    [Description("Partner country (e.g. BY)")]
    public string Partner { get; set; } = "";

    [CommandOption("--from <MONTH>")]
    [Description("First month, inclusive, YYYY-MM. Default: unbounded")]
    public string? From { get; set; }

    [CommandOption("--to <MONTH>")]
    [Description("Last month, inclusive, YYYY-MM. Default: unbounded")]
    public string? To { get; set; }

    [CommandOption("--basis <BASIS>")]
    [Description("commercial (exporter = seller's country, the default) or origin (exporter = where the oil was produced)")]
    public string? Basis { get; set; }

    [CommandOption("--wait <SECONDS>")]
    [Description("Wait up to this long for Trade to catch up with Shipments (Trade learns of shipments asynchronously), then print. Default: 0, print at once")]
    public int Wait { get; set; }

    public override ValidationResult Validate()
    {
        var global = base.Validate();
        if (!global.Successful) return global;
        var problems = new List<string>();
        if (From is { } from && !DateInput.TryParseMonth(from, out _)) problems.Add($"--from {DateInput.DescribeMonth(from)}.");
        if (To is { } to && !DateInput.TryParseMonth(to, out _)) problems.Add($"--to {DateInput.DescribeMonth(to)}.");
        if (FirstMonth is { } first && LastMonth is { } last && first > last) problems.Add($"--from {first:yyyy-MM} is after --to {last:yyyy-MM}.");
        if (Basis is { } basis && ParseBasis(basis) is null) problems.Add($"--basis '{basis}' is not a basis; use commercial or origin.");
        if (Wait is < 0 or > 3600) problems.Add($"--wait {Wait} is out of range; use 0 to 3600 seconds.");
        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }

    public DateOnly? FirstMonth => DateInput.TryParseMonth(From, out var m) ? m : null;
    public DateOnly? LastMonth => DateInput.TryParseMonth(To, out var m) ? m : null;
    public bool OriginBasis => ParseBasis(Basis) == true;

    /// <summary>True for origin, false for commercial, null for anything else.</summary>
    private static bool? ParseBasis(string? basis) => basis?.Trim().ToLowerInvariant() switch
    {
        null or "commercial" => false,
        "origin" => true,
        _ => null,
    };
}
