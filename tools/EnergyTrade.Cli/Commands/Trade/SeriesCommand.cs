using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Input;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Trade.V1;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Cli.Commands.Trade;

/// <summary>trade series: month by month (or by quarter or year), exports and imports (barrels and value), turnover and balance.</summary>
public sealed class SeriesCommand(CliEnvironment environment) : ServiceCommand<SeriesSettings>(environment)
{
    protected override bool WritesCsv => true;

    protected override async Task<int> RunAsync(SeriesSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var trade = clients.Trade(Scopes.TradeRead);
        var request = BuildRequest(settings);
        var series = await clients.Caller.CallAsync(clients.TradeEndpoint, o => trade.GetTradeSeriesAsync(request, o),
            RetryPolicy.Interactive, cancellationToken);
        if (options.Json) WriteJson(series);
        else if (options.Csv && request.GroupBy.Count > 0) SeriesGroupsCsv.Write(Environment.RawOut, series, request.GroupBy);
        else if (options.Csv) SeriesCsv.Write(Environment.RawOut, series);
        else Environment.Out.Write(SeriesView.Render(series));
        return ExitCodes.Success;
    }

    /// <summary>Only valid after validation, which requires both months.</summary>
    public static GetTradeSeriesRequest BuildRequest(SeriesSettings settings)
    {
        var request = new GetTradeSeriesRequest
        {
            Country = CountryInput.Normalize(settings.Country),
            Partner = CountryInput.Normalize(settings.Partner),
            FirstMonth = ProtoValues.Month(settings.FirstMonth!.Value),
            LastMonth = ProtoValues.Month(settings.LastMonth!.Value),
            Basis = BasisInput.ToTrade(settings.OriginBasis),
            Granularity = GranularityInput.TryParse(settings.Granularity, out var granularity) ? granularity : Granularity.Month,
        };
        settings.ApplyTo(request);
        return request;
    }
}
