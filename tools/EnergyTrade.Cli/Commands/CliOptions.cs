using EnergyTrade.Cli.Output;

namespace EnergyTrade.Cli.Commands;

/// <summary>The global options after the command line, the environment and the defaults have been combined.</summary>
public sealed record CliOptions(Uri ShipmentsUrl, Uri TradeUrl, OutputFormat Output, TimeSpan Timeout)
{
    public bool Json => Output == OutputFormat.Json;
    public bool Csv => Output == OutputFormat.Csv;
}
