using EnergyTrade.Cli.Output;
using EnergyTrade.Cli.Profiles;
using EnergyTrade.Cli.Transport;

namespace EnergyTrade.Cli.Commands;

/// <summary>The global options after the command line, the environment, the profile and the defaults have been combined.</summary>
public sealed record CliOptions(Uri ShipmentsUrl, Uri TradeUrl, OutputFormat Output, TimeSpan Timeout, ConfigProfile Profile, TlsFiles Tls)
{
    public bool Json => Output == OutputFormat.Json;
    public bool Csv => Output == OutputFormat.Csv;
}
