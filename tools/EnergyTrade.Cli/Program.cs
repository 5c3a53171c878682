using EnergyTrade.Cli;
using EnergyTrade.Cli.Infrastructure;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl-C cancels the calls in flight and lets the command report what it did; a second one kills.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};
return await CliApp.RunAsync(args, CliEnvironment.ForProcess(), cancellation.Token);
