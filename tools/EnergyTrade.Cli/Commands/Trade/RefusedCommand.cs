using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Trade.V1;
using Spectre.Console;

namespace EnergyTrade.Cli.Commands.Trade;

/// <summary>trade refused: the shipment events Trade moved to its _error queue and why; or --dismiss one message's refusals.</summary>
public sealed class RefusedCommand(CliEnvironment environment) : ServiceCommand<RefusedSettings>(environment)
{
    protected override async Task<int> RunAsync(RefusedSettings settings, CliOptions options, ServiceClients clients, CancellationToken cancellationToken)
    {
        if (settings.Dismiss is { } messageId)
        {
            var admin = clients.Trade(Scopes.TradeRead, Scopes.TradeAdmin);
            var request = new DismissRefusedEventsRequest { MessageId = messageId };
            var dismissed = await clients.Caller.CallAsync(clients.TradeEndpoint, o => admin.DismissRefusedEventsAsync(request, o), RetryPolicy.Interactive, cancellationToken);
            if (options.Json) WriteJson(dismissed);
            else Environment.Out.Write(new Text($"Dismissed {dismissed.DismissedCount} refusal(s) of message {messageId}.{System.Environment.NewLine}"));
            return ExitCodes.Success;
        }

        var trade = clients.Trade(Scopes.TradeRead);
        var all = await Pages.ReadAsync(new ListRefusedEventsRequest { PageSize = 1000 }, all: true,
            r => clients.Caller.CallAsync(clients.TradeEndpoint, o => trade.ListRefusedEventsAsync(r, o), RetryPolicy.Interactive, cancellationToken),
            page => page.NextPageToken, (r, token) => r.PageToken = token,
            (merged, page) =>
            {
                merged.RefusedEvents.AddRange(page.RefusedEvents);
                merged.NextPageToken = page.NextPageToken;
            });
        if (options.Json)
        {
            WriteJson(all);
            return ExitCodes.Success;
        }
        if (all.RefusedEvents.Count == 0)
        {
            Environment.Out.Write(new Text($"Trade has refused no shipment events.{System.Environment.NewLine}"));
            return ExitCodes.Success;
        }
        Environment.Out.Write(RefusedView.Render(all.RefusedEvents));
        return ExitCodes.Success;
    }
}
