using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Input;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Trade.V1;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Trade;

/// <summary>trade revisions: each month of a range as it stood at --since and at --until, and the shipment versions recorded in between.</summary>
public sealed class RevisionsCommand(CliEnvironment environment) : ServiceCommand<RevisionsSettings>(environment)
{
    protected override async Task<int> RunAsync(RevisionsSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        var trade = clients.Trade(Scopes.TradeRead);
        var request = BuildRequest(settings);
        var report = await clients.Caller.CallAsync(clients.TradeEndpoint, o => trade.GetRevisionReportAsync(request, o),
            RetryPolicy.Interactive, cancellationToken);
        if (options.Json)
        {
            WriteJson(report);
            return ExitCodes.Success;
        }
        Environment.Out.Write(RevisionReportView.Render(report));
        if (report.TotalChangeCount > report.Changes.Count)
        {
            Environment.Out.Write(new Text(More(report) + System.Environment.NewLine, new Style(Color.Grey)));
        }
        return ExitCodes.Success;
    }

    /// <summary>How to see the versions the limit left out: a larger --max-changes while the service allows one, else fewer months.</summary>
    private static string More(RevisionReport report)
    {
        var left = Numbers.Count(report.TotalChangeCount - report.Changes.Count);
        return report.TotalChangeCount <= RevisionsSettings.MaxChangesLimit
            ? $"{left} more not listed: add --max-changes {report.TotalChangeCount} to list them all (it goes up to {RevisionsSettings.MaxChangesLimit:#,0}), or narrow --from/--to."
            : $"{left} more not listed: --max-changes goes up to {RevisionsSettings.MaxChangesLimit:#,0}; narrow --from/--to (or --since/--until) to see the rest.";
    }

    /// <summary>Only valid after validation, which requires both months and --since.</summary>
    public static GetRevisionReportRequest BuildRequest(RevisionsSettings settings)
    {
        var request = new GetRevisionReportRequest
        {
            Country = CountryInput.Normalize(settings.Country),
            Partner = CountryInput.Normalize(settings.Partner),
            FirstMonth = ProtoValues.Month(settings.FirstMonth!.Value),
            LastMonth = ProtoValues.Month(settings.LastMonth!.Value),
            Basis = BasisInput.ToTrade(settings.OriginBasis),
            Since = settings.SinceInstant,
            Until = settings.UntilInstant,
            MaxChanges = settings.MaxChanges ?? 0,
        };
        settings.ApplyTo(request);
        return request;
    }
}
