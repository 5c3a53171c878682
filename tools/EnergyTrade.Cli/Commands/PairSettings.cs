using System.ComponentModel;
using Spectre.Console.Cli;

namespace EnergyTrade.Cli.Commands;

/// <summary>The COUNTRY PARTNER arguments every pair command takes (totals, series, watch, reconcile).</summary>
public abstract class PairSettings : GlobalSettings
{
    [CommandArgument(0, "<COUNTRY>")]
    [Description("Reporting country, ISO 3166-1 alpha-2 (e.g. AZ)")]
    public string Country { get; set; } = "";

    [CommandArgument(1, "<PARTNER>")]
    [Description("Partner country (e.g. BY)")]
    public string Partner { get; set; } = "";
}
